// front.mjs - a thin Ollama-compatible front over a real llama.cpp runtime
// (node-llama-cpp, prebuilt CPU binaries), so that phx-llm's requests meet
// real tokenization, real grammar-constrained sampling from the request's
// JSON schema, real token counts and a real num_predict limit.
//
//   node front.mjs --model FILE.gguf [--name NAME] [--port N] [--port-file FILE]
//                  [--log FILE] [--ctx N] [--threads N]
//   node front.mjs --probe     load the llama.cpp binding the same way, exit 0
//
// Routes and shapes as Ollama v0.33 answers them (spec: ollama-api.md): GET/HEAD /,
// /api/version, /api/tags, /api/ps, POST /api/show, /api/chat (stream true by
// default: NDJSON chunks, then a done chunk with done_reason and the metrics;
// stream false: one object). `format` "json" or a schema object becomes a
// llama.cpp grammar; options temperature, seed, top_k, top_p, num_predict,
// num_ctx (a different num_ctx reloads the context, as Ollama reloads the
// runner), stop. One request at a time (OLLAMA_NUM_PARALLEL=1); every request
// is logged (path, method, body) as NDJSON, like tests/servers/ollama.py.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";

const VERSION = "0.33.0-rc2";
const TOO_LONG = "the prompt is longer than the context length currently available to the " +
	"model; shorten the prompt, adjust the context length in settings, or use a " +
	"model with a longer context length";

const { values: a } = parseArgs({
	options: {
		model: { type: "string" }, name: { type: "string", default: "phx-tiny:latest" },
		port: { type: "string", default: "0" }, "port-file": { type: "string" },
		log: { type: "string" }, ctx: { type: "string", default: "4096" },
		threads: { type: "string", default: "1" }, probe: { type: "boolean" },
	},
});

const { getLlama, LlamaCompletion } = await import("node-llama-cpp");
// never build or download llama.cpp: the prebuilt binary or nothing
const llama = await getLlama({
	gpu: false, build: "never", skipDownload: true, usePrebuiltBinaries: true,
	progressLogs: false, maxThreads: Number(a.threads), logLevel: "error",
});
if (a.probe) {
	console.log(`node-llama-cpp loads: ${llama.buildType} binary, gpu ${llama.gpu}`);
	process.exit(0);
}
if (!a.model) {
	console.error("front.mjs: --model FILE.gguf is required");
	process.exit(64);
}

const threads = Number(a.threads);
const t0 = process.hrtime.bigint();
const model = await llama.loadModel({ modelPath: a.model, gpuLayers: 0 });
const digest = crypto.createHash("sha256").update(fs.readFileSync(a.model)).digest("hex");
const trained = model.trainContextSize;
const modified = fs.statSync(a.model).mtime.toISOString();
const params = Math.round(model.size / 4);	// F32: four bytes a weight
let context = null, sequence = null, completion = null, loadedCtx = 0;
await load(Math.min(Number(a.ctx), trained));
const startupNs = Number(process.hrtime.bigint() - t0);
const logFd = a.log ? fs.openSync(a.log, "a") : null;

async function load(n) {
	if (context)
		await context.dispose();
	context = await model.createContext({ contextSize: n, threads, sequences: 1 });
	sequence = context.getSequence();
	completion = new LlamaCompletion({ contextSequence: sequence });
	loadedCtx = n;
}

// RFC 3339 in UTC with nanoseconds, from one monotonic clock
function nowRfc3339() {
	const ms = performance.timeOrigin + performance.now();
	const sub = String(Math.floor((ms % 1) * 1e6)).padStart(6, "0");
	return new Date(Math.floor(ms)).toISOString().slice(0, -1) + sub + "Z";
}

function sameModel(m) {
	return typeof m === "string" && (m === a.name || `${m}:latest` === a.name);
}

function details() {
	return {
		parent_model: "", format: "gguf", family: "llama", families: ["llama"],
		parameter_size: `${(params / 1e6).toFixed(1)}M`, quantization_level: "F32",
	};
}

function entry() {
	return { name: a.name, model: a.name, modified_at: modified, size: model.size, digest,
		 details: details() };
}

function send(res, status, obj, ctype = "application/json; charset=utf-8") {
	const body = typeof obj === "string" ? obj : JSON.stringify(obj);
	res.writeHead(status, { "Content-Type": ctype, "Content-Length": Buffer.byteLength(body) });
	res.end(body);
}

const error = (res, status, text) => send(res, status, { error: text });

function logRequest(req, body) {
	if (logFd !== null)
		fs.writeSync(logFd, JSON.stringify({ path: req.url, method: req.method, body }) + "\n");
}

// What the model said, for tests to compare with what the client made of it.
function logReply(reply) {
	if (logFd !== null)
		fs.writeSync(logFd, JSON.stringify({ reply }) + "\n");
}

// Ollama's option type checks (500), for the keys this front uses.
const INT_OPTS = ["num_ctx", "num_predict", "seed", "top_k", "num_keep"];
const FLOAT_OPTS = ["temperature", "top_p"];
function badOption(o) {
	for (const k of INT_OPTS)
		if (k in o && !Number.isInteger(o[k]))
			return `option "${k}" must be of type integer`;
	for (const k of FLOAT_OPTS)
		if (k in o && typeof o[k] !== "number")
			return `option "${k}" must be of type float32`;
	if ("stop" in o && !Array.isArray(o.stop))
		return 'option "stop" must be of type array';
	return null;
}

async function grammarFor(format) {
	if (format === undefined || format === null || format === "")
		return undefined;
	if (format === "json")
		return llama.getGrammarFor("json");
	if (typeof format === "object" && !Array.isArray(format))
		return llama.createGrammarForJsonSchema(format);
	throw new Error(`invalid format: ${JSON.stringify(format)}; expected "json" or a valid JSON Schema object`);
}

// The chat template (what /api/show reports as "template").
const TEMPLATE = "<|{{ .Role }}|>\n{{ .Content }}\n...<|assistant|>\n";
function render(messages) {
	let s = "";
	for (const m of messages)
		s += `<|${String(m.role).toLowerCase()}|>\n${m.content ?? ""}\n`;
	return s + "<|assistant|>\n";
}

let queue = Promise.resolve();	// one request at a time

async function chat(req, res, body) {
	if (!sameModel(body.model))
		return body.model ? error(res, 404, `model '${body.model}' not found`)
			: error(res, 400, "model is required");
	const o = body.options ?? {};
	const bad = badOption(o);
	if (bad)
		return error(res, 500, bad);
	if (body.think !== undefined && body.think !== false)
		return error(res, 400, `"${body.model}" does not support thinking`);
	let grammar;
	try {
		grammar = await grammarFor(body.format);
	} catch (e) {
		return error(res, 500, e.message.startsWith("invalid format") ? e.message
			: `invalid format: ${e.message}; expected "json" or a valid JSON Schema object`);
	}
	const stream = body.stream !== false;
	const head = () => ({ model: body.model, created_at: nowRfc3339() });
	const messages = Array.isArray(body.messages) ? body.messages : [];
	if (messages.length === 0) {
		const reason = body.keep_alive === 0 || body.keep_alive === "0" ? "unload" : "load";
		return send(res, 200, { ...head(), message: { role: "assistant", content: "" },
			done: true, done_reason: reason });
	}
	const job = queue.then(() => generate(res, body, o, grammar, stream, head, messages));
	queue = job.catch(() => {});
	return job;
}

async function generate(res, body, o, grammar, stream, head, messages) {
	const started = process.hrtime.bigint();
	let loadNs = 0;
	if (Number.isInteger(o.num_ctx)) {
		const want = Math.min(Math.max(o.num_ctx, 4), trained);
		if (want !== loadedCtx) {
			await load(want);	// a runner option changed: Ollama reloads
			loadNs = Number(process.hrtime.bigint() - started);
		}
	}
	let tokens = [model.tokens.bos, ...model.tokenize(render(messages))];
	if (tokens.length >= loadedCtx) {
		if (body.truncate === false || body.shift === false)
			return error(res, 400, TOO_LONG);
		// silent cut as Ollama does: num_keep tokens of the start and the end
		const keep = Number.isInteger(o.num_keep) ? o.num_keep : 4;
		const total = loadedCtx - Math.floor((loadedCtx - 4) / 2);
		tokens = [...tokens.slice(0, keep), ...tokens.slice(tokens.length - (total - keep))];
	}
	const predict = Number.isInteger(o.num_predict) && o.num_predict >= 0 ? o.num_predict
		: 10 * loadedCtx;
	const out0 = sequence.tokenMeter.usedOutputTokens;
	let firstAt = 0n;
	if (stream)
		res.writeHead(200, { "Content-Type": "application/x-ndjson" });
	let text = "";
	let meta;
	try {
		const r = await completion.generateCompletionWithMeta(tokens, {
			grammar, maxTokens: Math.min(predict, loadedCtx - tokens.length),
			temperature: o.temperature ?? 0.8, seed: o.seed ?? undefined,
			topK: o.top_k ?? 40, topP: o.top_p ?? 0.9,
			customStopTriggers: Array.isArray(o.stop) && o.stop.length ? o.stop : undefined,
			disableContextShift: true,
			onToken: () => { if (!firstAt) firstAt = process.hrtime.bigint(); },
			onTextChunk: stream ? (t) => res.write(JSON.stringify({ ...head(),
				message: { role: "assistant", content: t }, done: false }) + "\n") : undefined,
		});
		text = r.response;
		meta = r.metadata;
	} catch (e) {
		const msg = `an error was encountered while running the model: ${e.message}`;
		if (stream)
			return res.end(JSON.stringify({ error: msg }) + "\n");
		return error(res, 500, msg);
	}
	const end = process.hrtime.bigint();
	firstAt = firstAt || end;
	const evalCount = sequence.tokenMeter.usedOutputTokens - out0;
	const done = {
		...head(), message: { role: "assistant", content: stream ? "" : text }, done: true,
		done_reason: meta.stopReason === "maxTokens" ? "length" : "stop",
		total_duration: Number(end - started), load_duration: loadNs,
		prompt_eval_count: tokens.length,
		prompt_eval_duration: Number(firstAt - started) - loadNs,
		eval_count: evalCount, eval_duration: Number(end - firstAt),
	};
	for (const k of Object.keys(done))	// Ollama's omitempty: zero metrics absent
		if (k.endsWith("_duration") || k.endsWith("_count"))
			if (!done[k])
				delete done[k];
	logReply({ ...done, message: { role: "assistant", content: text } });
	if (stream)
		return res.end(JSON.stringify(done) + "\n");
	return send(res, 200, done);
}

function show(res, body) {
	if (!sameModel(body?.model))
		return error(res, 404, `model '${body?.model ?? ""}' not found`);
	return send(res, 200, {
		parameters: `num_ctx                        ${loadedCtx}`,
		template: TEMPLATE,
		details: details(),
		model_info: {
			"general.architecture": "llama", "general.parameter_count": params,
			"llama.context_length": trained,
			"llama.embedding_length": model.fileInfo.metadata.llama.embedding_length,
			"llama.block_count": model.fileInfo.metadata.llama.block_count,
		},
		capabilities: ["completion"], modified_at: modified,
	});
}

function routeGet(req, res) {
	switch (req.url) {
	case "/":
		return send(res, 200, "Ollama is running", "text/plain; charset=utf-8");
	case "/api/version":
		return send(res, 200, { version: VERSION });
	case "/api/tags":
		return send(res, 200, { models: [entry()] });
	case "/api/ps": {
		const expires = new Date(Date.now() + 30 * 60 * 1000).toISOString();
		return send(res, 200, { models: [{ ...entry(), size_vram: 0, expires_at: expires,
			context_length: loadedCtx }] });
	}
	}
	return send(res, 404, "404 page not found", "text/plain");
}

async function routePost(req, res, raw) {
	let body;
	try {
		body = raw.length ? JSON.parse(raw) : null;
	} catch {
		logRequest(req, raw);
		return error(res, 400, "invalid character looking for beginning of value");
	}
	logRequest(req, body);
	if (req.url === "/api/show")
		return show(res, body);
	if (req.url === "/api/chat") {
		if (!raw.length)
			return error(res, 400, "missing request body");
		if (typeof body !== "object" || Array.isArray(body))
			return error(res, 400, "json: cannot unmarshal into Go value of type api.ChatRequest");
		return chat(req, res, body);
	}
	return send(res, 404, "404 page not found", "text/plain");
}

const server = http.createServer({ noDelay: true, keepAlive: true }, (req, res) => {
	const parts = [];
	req.on("data", (c) => parts.push(c));
	req.on("end", () => {
		const raw = Buffer.concat(parts).toString("utf8");
		const done = req.method === "POST" ? routePost(req, res, raw)
			: (logRequest(req, null), routeGet(req, res));
		Promise.resolve(done).catch((e) => {
			if (!res.headersSent)
				error(res, 500, String(e.message ?? e));
			else
				res.end();
		});
	});
});
server.listen(Number(a.port), "127.0.0.1", () => {
	const port = server.address().port;
	if (a["port-file"]) {
		fs.writeFileSync(a["port-file"] + ".tmp", `${port}\n`);
		fs.renameSync(a["port-file"] + ".tmp", a["port-file"]);
	}
	console.error(`front.mjs: ${a.name} (${a.model}, ${params} weights, context ${loadedCtx}, ` +
		`${threads} thread) on 127.0.0.1:${port}, ready in ${Math.round(startupNs / 1e6)} ms`);
});
for (const sig of ["SIGTERM", "SIGINT"])
	process.on(sig, () => process.exit(0));
