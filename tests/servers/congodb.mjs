// congodb.mjs - the MongoDB test peer: CongoDB (from @push.rocks/smartmongo 2.2.0)
// with the launcher additions phx's tests need.
//
//   node congodb.mjs [--port N] [--data DIR] [--tls-cert PEM --tls-key PEM]
//
// Listens on 127.0.0.1 only; --port 0 (the default) lets the kernel pick a port.
// Prints "mongodb://127.0.0.1:PORT/" on stdout once it accepts connections.
// Without --data everything lives in memory; with --data DIR every acknowledged
// write is appended to DIR/journal.ndjson before the reply goes out and is
// replayed at start, so a SIGKILL loses nothing the client was told is stored.
// With --tls-cert/--tls-key the port speaks TLS only (CongoDB has no TLS: the
// launcher terminates it and passes the bytes to CongoDB on a private port).
//
// What this launcher adds to CongoDB, and why:
// - Unique indexes are enforced (CongoDB records `unique` but never checks it):
//   inserts and updates that would duplicate a key fail with code 11000 and a
//   mongod-style "E11000 duplicate key error ..." message. Documents missing the
//   field count as null (as in mongod) unless the index is sparse.
// - A filter with an equality or $in condition on the field of a single-field
//   index reads the matching documents from that index (and tests the
//   rest of the filter on them) instead of scanning the collection. CongoDB
//   otherwise reads and tests every document of the collection for each
//   update statement and each find, so N upserts cost O(N^2); this keeps
//   50,000-record runs in seconds. Results are the same documents a scan
//   would give (order unspecified, as in MongoDB). The rest of such a filter
//   is tested on those few candidates directly when it is plain (top-level
//   fields against scalars, null, $eq, $in, $type "string"), as mongod tests a
//   residual predicate, instead of compiling a mingo query per statement.
// - Inclusion projections with dotted paths keep arrays' shape as mongod does
//   ({"a.b": 1} on a: [{b, c}] gives a: [{b}]; CongoDB gives a: {b: [..]}).
// - Incoming chunks are joined once per message instead of once per chunk
//   (CongoDB's Buffer.concat per chunk copies a big message many times).
// These three serve every client alike (the Node.js driver of bench/ too).
// - findAll (which every find, update and delete statement starts with) returns
//   a cached array kept in step with writes, instead of copying the collection
//   each time; CongoDB's handlers never mutate that array.
// - The journal described above (CongoDB's own persistence writes the whole
//   database as JSON on a timer, which loses recent writes on a kill).
//
// Gaps of the peer that remain (keep the code under test to what both support):
// - `_id` must be an ObjectId (or absent): any other _id is coerced or rejected.
// - Numbers come back as int32 or double: int64 values are stored as JS numbers,
//   so a value above 2^31 is returned as a double and one above 2^53 loses
//   precision. Readers must accept int32/int64/double for integer fields.
// - partialFilterExpression, collation and TTL on indexes are ignored; an index
//   created again with other options under the same name is silently kept.
// - Aggregation pipelines in updates, transactions, authentication, TLS and
//   retryable-write semantics (txnNumber) are not implemented; a standalone
//   mongod gets no driver write retries either, so clients must retry their own.
// - Update statements are applied one by one; `nModified` counts documents
//   whose JSON changed. Write concern is accepted and ignored.
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const peerDir = path.join(here, 'node_modules', '.smartmongo', 'dist_ts', 'congodb');
const congo = await import(path.join(peerDir, 'index.js'));
// The peer's own bson instance: ObjectIds must be of its class (instanceof).
const { EJSON } = congo.plugins.bson;
const { CongoServer, QueryEngine } = congo;

function usage(msg) {
	if (msg) process.stderr.write(`congodb: ${msg}\n`);
	process.stderr.write('usage: node congodb.mjs [--port N] [--data DIR] ' +
		'[--tls-cert PEM --tls-key PEM]\n');
	process.exit(64);
}

function parseArgs(argv) {
	const opt = { port: 0, data: '', cert: '', key: '' };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--port' && i + 1 < argv.length) {
			opt.port = Number(argv[++i]);
			if (!Number.isInteger(opt.port) || opt.port < 0 || opt.port > 65535)
				usage(`bad port: ${argv[i]}`);
		} else if (a === '--data' && i + 1 < argv.length) {
			opt.data = argv[++i];
		} else if (a === '--tls-cert' && i + 1 < argv.length) {
			opt.cert = argv[++i];
		} else if (a === '--tls-key' && i + 1 < argv.length) {
			opt.key = argv[++i];
		} else {
			usage(`unknown argument: ${a}`);
		}
	}
	if (!opt.cert !== !opt.key) usage('--tls-cert and --tls-key go together');
	return opt;
}

// A TLS front door on the public port; each connection is piped to CongoDB.
function listenTls(opt, innerPort) {
	const server = tls.createServer({
		cert: fs.readFileSync(opt.cert),
		key: fs.readFileSync(opt.key),
	}, (client) => {
		const inner = net.connect(innerPort, '127.0.0.1');
		client.pipe(inner).pipe(client);
		const drop = () => { client.destroy(); inner.destroy(); };
		client.on('error', drop);
		inner.on('error', drop);
		client.on('close', drop);
		inner.on('close', drop);
	});
	server.on('tlsClientError', () => {}); // a refused handshake is the client's business
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opt.port, '127.0.0.1', () => resolve(server));
	});
}

// ---- unique indexes -------------------------------------------------------

const COLL = Symbol('phx.collection');

// The value at a path given as its parts (["address", "zip"]).
function getParts(doc, parts) {
	let cur = doc;
	for (const part of parts) {
		if (cur === null || typeof cur !== 'object' || !(part in cur)) return undefined;
		cur = cur[part];
	}
	return cur;
}

function getPath(doc, dotted) {
	return getParts(doc, dotted.split('.'));
}

// Numbers compare by value across int32/int64/double, as in a mongod index.
function keyPart(v) {
	if (v === undefined || v === null) return 'null';
	if (typeof v === 'number' || typeof v === 'bigint') return `n:${String(v)}`;
	if (typeof v === 'string') return `s:${v}`;
	if (v && v._bsontype === 'Long') return `n:${v.toString()}`;
	return `j:${EJSON.stringify(v, { relaxed: false })}`;
}

function showValue(v) {
	if (v === undefined) return 'null';
	return EJSON.stringify(v, { relaxed: true });
}

// One secondary index: key string -> Set of _id hex. Unique ones refuse a
// second owner of a key; single-field ones also answer lookups.
class KeyIndex {
	constructor(ns, name, key, unique, sparse) {
		this.ns = ns;
		this.name = name;
		this.fields = Object.keys(key);
		this.paths = this.fields.map((f) => f.split('.')); // split once, not per document
		this.unique = !!unique;
		this.sparse = !!sparse;
		this.map = new Map();
		this.arrayDocs = new Set(); // _id hex of docs whose field is an array
	}
	values(doc) {
		return this.paths.map((parts) => getParts(doc, parts));
	}
	keyOf(doc, vals = this.values(doc)) {
		if (this.sparse && vals.every((v) => v === undefined)) return null;
		return vals.length === 1 ? keyPart(vals[0]) : vals.map(keyPart).join('\u0000');
	}
	conflict(doc, id) {
		if (!this.unique) return null;
		const k = this.keyOf(doc);
		const owners = k === null ? undefined : this.map.get(k);
		if (!owners || [...owners].every((o) => o === id)) return null;
		const shown = this.fields.map((f) => `${f}: ${showValue(getPath(doc, f))}`).join(', ');
		const err = new Error(`E11000 duplicate key error collection: ${this.ns} ` +
			`index: ${this.name} dup key: { ${shown} }`);
		err.code = 11000;
		err.codeName = 'DuplicateKey';
		return err;
	}
	add(doc, id) {
		const vals = this.values(doc);
		const k = this.keyOf(doc, vals);
		if (k !== null) {
			let owners = this.map.get(k);
			if (!owners) this.map.set(k, (owners = new Set()));
			owners.add(id);
		}
		if (vals.some((v) => Array.isArray(v))) this.arrayDocs.add(id);
	}
	remove(doc, id) {
		const k = this.keyOf(doc);
		const owners = k === null ? undefined : this.map.get(k);
		if (owners) {
			owners.delete(id);
			if (owners.size === 0) this.map.delete(k);
		}
		this.arrayDocs.delete(id);
	}
}

// ns "db.coll" -> Map(index name -> KeyIndex)
const keyIndexes = new Map();

function indexesOf(db, coll) {
	return keyIndexes.get(`${db}.${coll}`) || new Map();
}

function firstConflict(db, coll, doc, id) {
	for (const idx of indexesOf(db, coll).values()) {
		const err = idx.conflict(doc, id);
		if (err) return err;
	}
	return null;
}

// ---- storage wrapper -------------------------------------------------------

// ns -> { arr: documents in collection order, pos: Map(_id hex -> index in arr) }
const scans = new Map();

function wrapStorage(storage, journal) {
	const orig = {};
	for (const m of ['insertOne', 'updateById', 'deleteById', 'saveIndex', 'dropIndex',
		'createCollection', 'dropCollection', 'dropDatabase', 'renameCollection', 'findAll'])
		orig[m] = storage[m].bind(storage);
	const log = (entry) => {
		if (journal !== null) fs.writeSync(journal, EJSON.stringify(entry, { relaxed: false }) + '\n');
	};

	storage.insertOne = async (db, coll, doc) => {
		const id = doc._id ? String(doc._id.toHexString ? doc._id.toHexString() : doc._id) : '';
		const err = firstConflict(db, coll, doc, id);
		if (err) throw err;
		const stored = await orig.insertOne(db, coll, doc);
		const sid = stored._id.toHexString();
		for (const idx of indexesOf(db, coll).values()) idx.add(stored, sid);
		const scan = scans.get(`${db}.${coll}`);
		if (scan) {
			scan.pos.set(sid, scan.arr.length);
			scan.arr.push(stored);
		}
		log({ op: 'ins', db, coll, doc: stored });
		return stored;
	};
	storage.updateById = async (db, coll, id, doc) => {
		const sid = id.toHexString();
		const err = firstConflict(db, coll, doc, sid);
		if (err) throw err;
		const old = await storage.findById(db, coll, id);
		const ok = await orig.updateById(db, coll, id, doc);
		if (ok) {
			for (const idx of indexesOf(db, coll).values()) {
				if (old) idx.remove(old, sid);
				idx.add(doc, sid);
			}
			const scan = scans.get(`${db}.${coll}`);
			if (scan && scan.pos.has(sid)) scan.arr[scan.pos.get(sid)] = doc;
			else scans.delete(`${db}.${coll}`);
			log({ op: 'upd', db, coll, doc });
		}
		return ok;
	};
	storage.deleteById = async (db, coll, id) => {
		const sid = id.toHexString();
		const old = await storage.findById(db, coll, id);
		const ok = await orig.deleteById(db, coll, id);
		if (ok && old) for (const idx of indexesOf(db, coll).values()) idx.remove(old, sid);
		scans.delete(`${db}.${coll}`);
		if (ok) log({ op: 'del', db, coll, id });
		return ok;
	};
	storage.saveIndex = async (db, coll, name, spec) => {
		if (name !== '_id_') await buildIndex(db, coll, name, spec);
		await orig.saveIndex(db, coll, name, spec);
		log({ op: 'idx', db, coll, name, spec });
	};
	storage.dropIndex = async (db, coll, name) => {
		const ok = await orig.dropIndex(db, coll, name);
		indexesOf(db, coll).delete(name);
		if (ok) log({ op: 'dropidx', db, coll, name });
		return ok;
	};
	storage.createCollection = async (db, coll) => {
		const existed = await storage.collectionExists(db, coll);
		await orig.createCollection(db, coll);
		if (!existed) log({ op: 'mkcoll', db, coll });
	};
	storage.dropCollection = async (db, coll) => {
		const ok = await orig.dropCollection(db, coll);
		keyIndexes.delete(`${db}.${coll}`);
		scans.delete(`${db}.${coll}`);
		if (ok) log({ op: 'dropcoll', db, coll });
		return ok;
	};
	storage.dropDatabase = async (db) => {
		const ok = await orig.dropDatabase(db);
		for (const ns of [...keyIndexes.keys()]) if (ns.startsWith(`${db}.`)) keyIndexes.delete(ns);
		for (const ns of [...scans.keys()]) if (ns.startsWith(`${db}.`)) scans.delete(ns);
		if (ok) log({ op: 'dropdb', db });
		return ok;
	};
	storage.renameCollection = async (db, from, to) => {
		await orig.renameCollection(db, from, to);
		const u = keyIndexes.get(`${db}.${from}`);
		keyIndexes.delete(`${db}.${from}`);
		keyIndexes.delete(`${db}.${to}`);
		if (u) {
			for (const idx of u.values()) idx.ns = `${db}.${to}`;
			keyIndexes.set(`${db}.${to}`, u);
		}
		scans.delete(`${db}.${from}`);
		scans.delete(`${db}.${to}`);
		log({ op: 'rename', db, from, to });
	};
	// Tag the scan so the query fast path knows which collection it came from.
	storage.findAll = async (db, coll) => {
		const ns = `${db}.${coll}`;
		let scan = scans.get(ns);
		if (!scan) {
			const arr = await orig.findAll(db, coll);
			const pos = new Map();
			arr.forEach((d, i) => pos.set(d._id.toHexString(), i));
			arr[COLL] = { db, coll, storage };
			scan = { arr, pos };
			scans.set(ns, scan);
		}
		return scan.arr;
	};
	return orig;
}

// Like mongod, building a unique index over duplicates fails with E11000.
async function buildIndex(db, coll, name, spec) {
	const ns = `${db}.${coll}`;
	const idx = new KeyIndex(ns, name, spec.key, spec.unique, spec.sparse);
	const all = await indexSourceDocs(db, coll);
	for (const doc of all) {
		const sid = doc._id.toHexString();
		const err = idx.conflict(doc, sid);
		if (err) throw err;
		idx.add(doc, sid);
	}
	if (!keyIndexes.has(ns)) keyIndexes.set(ns, new Map());
	keyIndexes.get(ns).set(name, idx);
}

let storageRef = null;
async function indexSourceDocs(db, coll) {
	return (await storageRef.findAll(db, coll)).slice();
}

// ---- query fast path -------------------------------------------------------

const scanFilter = QueryEngine.filter.bind(QueryEngine);

function isScalar(v) {
	return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

// The values a filter's condition on one field asks for, or null when it is
// not field: scalar, {$eq: scalar} or {$in: [scalars]}.
function lookupValues(cond) {
	if (isScalar(cond)) return [cond];
	if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return null;
	const ops = Object.keys(cond);
	if (ops.length !== 1) return null;
	if (ops[0] === '$eq' && isScalar(cond.$eq)) return [cond.$eq];
	if (ops[0] === '$in' && Array.isArray(cond.$in) && cond.$in.every(isScalar)) return cond.$in;
	return null;
}

// A plain top-level field of the filter that a single-field index can answer:
// the index and the values asked for (unique indexes first).
function usableIndex(tag, filter) {
	const all = [...indexesOf(tag.db, tag.coll).values()].sort((a, b) => b.unique - a.unique);
	for (const idx of all) {
		if (idx.fields.length !== 1 || idx.arrayDocs.size > 0) continue;
		const f = idx.fields[0];
		if (f.startsWith('$') || !Object.prototype.hasOwnProperty.call(filter, f)) continue;
		const values = lookupValues(filter[f]);
		if (values) return { idx, values };
	}
	return null;
}

// The candidates from the index, then the whole filter tested on them: the
// same documents a scan would find, without reading the others.
function fastFilter(documents, filter) {
	const tag = documents && documents[COLL];
	if (!tag || !filter || typeof filter !== 'object') return scanFilter(documents, filter);
	const use = usableIndex(tag, filter);
	const coll = tag.storage.databases?.get(tag.db)?.get(tag.coll);
	if (!use || !coll) return scanFilter(documents, filter);
	const out = [];
	const seen = new Set();
	for (const v of use.values) {
		for (const id of use.idx.map.get(keyPart(v)) || []) {
			if (seen.has(id)) continue;
			seen.add(id);
			const doc = coll.get(id);
			if (doc) out.push(doc);
		}
	}
	if (Object.keys(filter).length === 1) return out;
	const simple = simpleTests(filter);
	if (!simple) return scanFilter(out, filter);
	// A document the simple tests cannot decide goes to mingo.
	return out.filter((doc) => {
		const r = simple(doc);
		return r !== undefined ? r : scanFilter([doc], filter).length > 0;
	});
}

// The rest of a filter tested on the index's candidates the way mongod tests
// the rest of a predicate on the documents an index scan yields: directly.
// Compiling a mingo query per statement costs more than the statement when
// only a few candidates remain. Handles top-level fields (no dots) compared
// with a scalar, null, {$eq}, {$in} or {$type: "string"}; returns null for any
// other filter (then mingo decides everything). The test answers true, false,
// or undefined when the document's value is not a plain scalar (an array, a
// subdocument, a BSON wrapper): mingo decides that document.
function simpleTests(filter) {
	const tests = [];
	for (const [field, cond] of Object.entries(filter)) {
		if (field.startsWith('$') || field.includes('.')) return null;
		const t = simpleCondition(cond);
		if (!t) return null;
		tests.push([field, t]);
	}
	return (doc) => {
		let result = true;
		for (const [field, t] of tests) {
			const v = Object.prototype.hasOwnProperty.call(doc, field) ? doc[field] : undefined;
			if (v !== undefined && v !== null && typeof v === 'object') return undefined;
			if (!t(v)) result = false;
		}
		return result;
	};
}

// A scalar, undefined (missing) or null on the document's side.
function sameScalar(want, v) {
	if (want === null) return v === null || v === undefined;
	return v === want;
}

function simpleCondition(cond) {
	const scalar = (x) => x === null || isScalar(x) || typeof x === 'boolean';
	if (scalar(cond)) return (v) => sameScalar(cond, v);
	if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return null;
	const ops = Object.keys(cond);
	if (ops.length !== 1) return null;
	const arg = cond[ops[0]];
	if (ops[0] === '$eq' && scalar(arg)) return (v) => sameScalar(arg, v);
	if (ops[0] === '$in' && Array.isArray(arg) && arg.every(scalar))
		return (v) => arg.some((a) => sameScalar(a, v));
	if (ops[0] === '$type' && arg === 'string') return (v) => typeof v === 'string';
	return null;
}

// ---- projection ------------------------------------------------------------------

// CongoDB projects "a.b" by collecting the b of every element of an array a
// into {a: {b: [...]}}; mongod keeps the array's shape: {a: [{b: ..}, ..]}
// (scalar elements dropped, a document without b kept as {}). Inclusion
// projections with dotted paths get mongod's answer here; anything else
// (exclusions, operators such as $slice, overlapping paths) goes to CongoDB.
const origProject = QueryEngine.project.bind(QueryEngine);

function projectionTree(projection) {
	const tree = new Map();
	let dotted = false;
	for (const [key, v] of Object.entries(projection)) {
		if (key === '_id') continue;
		if (v !== 1 && v !== true) return null;
		if (key.startsWith('$') || key.includes('$') || key === '') return null;
		const parts = key.split('.');
		dotted = dotted || parts.length > 1;
		let node = tree;
		for (let i = 0; i < parts.length; i++) {
			const last = i === parts.length - 1;
			const have = node.get(parts[i]);
			if (have === true || (last && have !== undefined)) return null; // path collision
			if (last) node.set(parts[i], true);
			else {
				if (!have) node.set(parts[i], new Map());
				node = node.get(parts[i]);
			}
		}
	}
	return dotted ? tree : null;
}

function isPlainDoc(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v) && !v._bsontype &&
		!(v instanceof Date) && !(v instanceof RegExp) && !Buffer.isBuffer(v);
}

function projectValue(v, tree) {
	if (Array.isArray(v))
		return v.map((e) => projectValue(e, tree)).filter((e) => e !== undefined);
	return isPlainDoc(v) ? projectDoc(v, tree) : undefined;
}

function projectDoc(doc, tree) {
	const out = {};
	for (const key of Object.keys(doc)) {
		const sub = tree.get(key);
		if (sub === undefined) continue;
		const v = sub === true ? doc[key] : projectValue(doc[key], sub);
		if (v !== undefined) out[key] = v;
	}
	return out;
}

function mongodProject(documents, projection) {
	const tree = projection && typeof projection === 'object' ? projectionTree(projection) : null;
	if (!tree) return origProject(documents, projection);
	const withId = projection._id !== 0 && projection._id !== false;
	return documents.map((doc) => {
		const out = projectDoc(doc, tree);
		return withId && doc._id !== undefined ? { _id: doc._id, ...out } : out;
	});
}

// ---- receiving -----------------------------------------------------------------

// CongoDB appends every chunk that arrives to the connection's buffer with
// Buffer.concat, so a message of S bytes arriving in chunks of C costs S*S/C
// bytes copied. Here the chunks wait in a list until the first message is
// complete, then are joined once: the same messages, handled the same way.
function joinChunksOnce(server) {
	const proto = Object.getPrototypeOf(server);
	proto.handleData = function handleData(state, data) {
		if (!state.chunks) {
			state.chunks = [];
			state.pending = 0;
		}
		state.chunks.push(data);
		state.pending += data.length;
		const have = state.buffer.length + state.pending;
		if (state.buffer.length < 4 && have >= 4) {
			state.buffer = Buffer.concat([state.buffer, ...state.chunks]);
			state.chunks = [];
			state.pending = 0;
		}
		const need = state.buffer.length >= 4 ? Math.max(16, state.buffer.readInt32LE(0)) : 16;
		if (have < need) return;
		if (state.pending > 0) {
			state.buffer = Buffer.concat([state.buffer, ...state.chunks]);
			state.chunks = [];
			state.pending = 0;
		}
		this.processMessages(state);
	};
}

// ---- journal ------------------------------------------------------------------

async function replay(file, storage, orig) {
	if (!fs.existsSync(file)) return 0;
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	let n = 0;
	for (const line of lines) {
		if (line === '') continue;
		let e;
		try {
			e = EJSON.parse(line, { relaxed: true });
		} catch {
			break; // a torn last line from a kill: everything before it stands
		}
		n++;
		if (e.op === 'ins') await orig.insertOne(e.db, e.coll, e.doc);
		else if (e.op === 'upd') await orig.updateById(e.db, e.coll, e.doc._id, e.doc);
		else if (e.op === 'del') await orig.deleteById(e.db, e.coll, e.id);
		else if (e.op === 'idx') await orig.saveIndex(e.db, e.coll, e.name, e.spec);
		else if (e.op === 'dropidx') await orig.dropIndex(e.db, e.coll, e.name);
		else if (e.op === 'mkcoll') await orig.createCollection(e.db, e.coll);
		else if (e.op === 'dropcoll') await orig.dropCollection(e.db, e.coll);
		else if (e.op === 'dropdb') await orig.dropDatabase(e.db);
		else if (e.op === 'rename') await orig.renameCollection(e.db, e.from, e.to);
	}
	// Rebuild the unique maps from what was replayed.
	for (const db of await storage.listDatabases()) {
		for (const coll of await storage.listCollections(db)) {
			for (const spec of await storage.getIndexes(db, coll)) {
				if (spec.name !== '_id_') await buildIndex(db, coll, spec.name, spec);
			}
		}
	}
	return n;
}

async function main() {
	const opt = parseArgs(process.argv.slice(2));
	const tlsOn = !!opt.cert;
	const server = new CongoServer({ port: tlsOn ? 0 : opt.port, host: '127.0.0.1',
		storage: 'memory' });
	const storage = server.getStorage();
	storageRef = storage;
	let journal = null;
	const orig = wrapStorage(storage, null);
	if (opt.data) {
		fs.mkdirSync(opt.data, { recursive: true });
		const file = path.join(opt.data, 'journal.ndjson');
		await replay(file, storage, orig);
		journal = fs.openSync(file, 'a');
		// Re-install the wrappers over the adapter's own methods, journaling now.
		for (const [m, f] of Object.entries(orig)) storage[m] = f;
		wrapStorage(storage, journal);
	}
	QueryEngine.filter = fastFilter;
	joinChunksOnce(server);
	QueryEngine.project = mongodProject;

	await server.start();
	let addr = server.server.address();
	if (tlsOn) addr = (await listenTls(opt, addr.port)).address();
	process.stdout.write(`mongodb://127.0.0.1:${addr.port}/${tlsOn ? '?tls=true' : ''}\n`);
	const stop = async () => {
		await server.stop();
		if (journal !== null) fs.closeSync(journal);
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((err) => {
	process.stderr.write(`congodb: ${err.stack || err}\n`);
	process.exit(1);
});
