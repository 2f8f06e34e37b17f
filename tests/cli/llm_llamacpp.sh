#!/usr/bin/env bash
# phx-llm against a real llama.cpp runtime: node-llama-cpp (installed by
# tests/servers/install-llamacpp.sh) with a tiny random-weight GGUF made here
# by tests/servers/llamacpp/tiny_gguf.py, behind the Ollama front
# tests/servers/llamacpp/front.mjs, one thread. The model says random
# things; the grammar llama.cpp builds from the schema makes them JSON. What
# is asserted holds whatever it says: every record out or rejected with a
# reason, stated values kept, filled values of the schema's type and range
# and backed by the text, the answers grammar-shaped, real token counts in
# the usage journal, provenance naming the model; num_predict cuts answers
# (done_reason length); streaming gives the same answers; --check.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
in=$PHX_TOP/tests/fixtures/llm/listings.ndjson
lc=$PHX_TOP/tests/servers/llamacpp
conf=$PHX_TOP/etc/llm-fields.conf
py=/usr/bin/python3
model=phx-tiny:latest

if [ ! -f "$lc/node_modules/.phx-loads" ] || ! command -v node > /dev/null; then
	echo "# skipped: node-llama-cpp is not installed (tests/servers/install-llamacpp.sh)"
	exit 0
fi

LC_PID=
lc_stop() {
	if [ -n "$LC_PID" ]; then
		kill "$LC_PID" 2> /dev/null
		wait "$LC_PID" 2> /dev/null
		LC_PID=
	fi
}
# lc_start NAME [front.mjs options]: a fresh front; sets LC_URL and LC_LOG
lc_start() {
	lc_stop
	local d=$T/$1 i=0
	shift
	mkdir -p "$d"
	LC_LOG=$d/log.ndjson
	node "$lc/front.mjs" --model "$T/tiny.gguf" --name "$model" --threads 1 \
		--port-file "$d/port" --log "$LC_LOG" "$@" 2> "$d/stderr" &
	LC_PID=$!
	t_on_exit lc_stop
	while [ ! -s "$d/port" ]; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$LC_PID" 2> /dev/null; then
			t_fail "front.mjs starts" "$(tail -n 5 "$d/stderr")"
			return 1
		fi
		sleep 0.05
	done
	LC_URL=http://127.0.0.1:$(cat "$d/port")
	unset OLLAMA_URL OLLAMA_BASE_URL LLM_MODEL
}

$py "$lc/tiny_gguf.py" "$T/tiny.gguf" "$in" 2> gen.err
t_eq "tiny GGUF generated ($(cat gen.err))" 0 $?
sha=$(sha256sum "$T/tiny.gguf" | cut -d' ' -f1)

# The checks, over the input, the output, the rejects, the front's log
# (requests and the model's replies) and the usage journal: one JSON object
# of check name -> list of violations.
cat > check.py << 'PY'
import glob, json, re, sys
conf, inp, out, rej, log, usage, sha, model = sys.argv[1:9]
fields = {}
for line in open(conf):
    w = line.split()
    if w and w[0] == "field":
        fields[w[1]] = {"member": w[2].split(".")[1], "type": w[3],
                        "min": None if w[4] == "-" else float(w[4]),
                        "max": None if w[5] == "-" else float(w[5]),
                        "evidence": [] if w[6] == "-" else w[6].split(",")}
lines_in = open(inp).read().splitlines()
ins = {json.loads(l)["property_id"]: json.loads(l) for l in lines_in}
lines_out = open(out).read().splitlines()
outs = [json.loads(l) for l in lines_out]
rejects = [json.loads(l) for l in open(rej)] if rej != "-" else []
bad = {k: [] for k in ("accounted", "reject_reasons", "passthrough", "stated_kept",
                       "only_fields_changed", "filled_were_null", "types_ranges", "evidence",
                       "provenance", "grammar", "usage")}
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

def has_word(text, w):
    for m in re.finditer(r"(?<![A-Za-z0-9_])" + re.escape(w) + r"(?![A-Za-z0-9_])", text, re.I):
        if not re.search(r"(?:^|[^A-Za-z0-9_])no $", text[:m.start()], re.I):
            return True
    return False

def has_number(text, x):
    """x written in the text as a whole number: "2,100" backs 2100, not 100."""
    s = ("%d" % x) if float(x) == int(x) else repr(float(x))
    body = ",?".join(re.escape(c) for c in s)
    if re.search(r"(?<![0-9.])(?<![0-9],)" + body + r"(?![0-9])(?![.,][0-9])", text):
        return True
    if float(x) == int(x) and 0 <= x <= 10 and has_word(text, SMALL[int(x)]):
        return True
    return x == 1 and has_word(text, "single")

seen = [o["property_id"] for o in outs] + [r["record"]["property_id"] for r in rejects]
if sorted(seen) != sorted(ins):
    bad["accounted"].append({"out_or_rejected": seen, "input": list(ins)})
for r in rejects:
    if not str(r.get("code", "")).startswith("llm.") or not r.get("reason"):
        bad["reject_reasons"].append(r.get("code"))
for line, o in zip(lines_out, outs):
    i = ins[o["property_id"]]
    llm = o.get("_phx", {}).get("llm")
    if llm is None:
        if line not in lines_in:
            bad["passthrough"].append(o["property_id"])
        continue
    desc = i["listing"]["description"]
    for k, v in i["features"].items():
        if v is not None and o["features"].get(k) != v:
            bad["stated_kept"].append([o["property_id"], k])
    strip = lambda r: {k: v for k, v in r.items() if k not in ("features", "_phx")}
    members = {f["member"] for f in fields.values()}
    changed = {k for k in set(o["features"]) | set(i["features"])
               if o["features"].get(k) != i["features"].get(k)}
    if strip(i) != strip(o) or not changed <= members:
        bad["only_fields_changed"].append(o["property_id"])
    for name in llm["asked"]:
        m = fields[name]["member"]
        if name not in llm["filled"] and o["features"].get(m) is not None:
            bad["filled_were_null"].append([o["property_id"], name, "set but not filled"])
    for name in llm["filled"]:
        f = fields[name]
        v = o["features"].get(f["member"])
        if i["features"].get(f["member"]) is not None:
            bad["filled_were_null"].append([o["property_id"], name])
        ok = {"integer": isinstance(v, int) and not isinstance(v, bool),
              "number": isinstance(v, (int, float)) and not isinstance(v, bool),
              "boolean": isinstance(v, bool)}[f["type"]]
        if ok and f["type"] != "boolean":
            ok = (f["min"] is None or v >= f["min"]) and (f["max"] is None or v <= f["max"])
        if not ok:
            bad["types_ranges"].append([o["property_id"], name, v])
        if v is True and not any(has_word(desc, w) for w in f["evidence"]):
            bad["evidence"].append([o["property_id"], name, v])
        if f["type"] != "boolean" and ok and not f["evidence"] and not has_number(desc, v):
            bad["evidence"].append([o["property_id"], name, v])
    want = {"method": "llm", "model": model, "api": "ollama", "digest": sha,
            "done_reason": "stop"}
    if any(llm.get(k) != v for k, v in want.items()) or not llm.get("prompt_tokens", 0) > 0 \
            or not llm.get("completion_tokens", 0) > 0:
        bad["provenance"].append({k: llm.get(k) for k in list(want) + ["prompt_tokens",
                                                                      "completion_tokens"]})
# the model's replies, each after its request (the front answers one at a time)
req = None
tin = tout = 0
for e in map(json.loads, open(log)):
    if e.get("path") == "/api/chat":
        req = e["body"]
        continue
    if "reply" not in e:
        continue
    r = e["reply"]
    tin += r.get("prompt_eval_count", 0)
    tout += r.get("eval_count", 0)
    if r["done_reason"] != "stop":
        continue
    props = req["format"]["properties"]
    try:
        a = json.loads(r["message"]["content"])
    except ValueError as x:
        bad["grammar"].append(str(x))
        continue
    if not isinstance(a, dict) or set(a) != set(props):
        bad["grammar"].append(r["message"]["content"])
        continue
    for k, v in a.items():
        t = props[k]["type"][0]
        if v is not None and (isinstance(v, bool) != (t == "boolean")
                              or not isinstance(v, (bool, int, float))):
            bad["grammar"].append([k, v])
u = {"tokens_in": 0, "tokens_out": 0}
for e in map(json.loads, open(usage)):
    if e.get("what") in u and e.get("model") == model:
        u[e["what"]] += e["qty"]
if u != {"tokens_in": tin, "tokens_out": tout} or tin == 0:
    bad["usage"].append({"journal": u, "model_counted": [tin, tout]})
print(json.dumps(bad))
PY
# report NAME RESULT-FILE: one t_eq per check
report() {
	local c
	for c in accounted reject_reasons passthrough stated_kept only_fields_changed \
		filled_were_null types_ranges evidence provenance grammar usage; do
		t_eq "$1: $c" "[]" "$(jq -c ".$c" "$2")"
	done
}

# 1. the default run: whatever the model says, what must hold does
lc_start plain || exit 1
phx llm --url "$LC_URL" --model "$model" --no-cache --rejects rej.ndjson < "$in" > out.ndjson 2> err
rc=$?
touch rej.ndjson
t_check "exit 0 or 1 (some rejected), got $rc: $(tail -c 300 err)" test "$rc" -le 1
$py check.py "$conf" "$in" out.ndjson rej.ndjson "$LC_LOG" "$PHX_STATE_DIR/usage.ndjson" \
	"$sha" "$model" > res.json 2> check.err
t_eq "checks ran ($(tail -c 300 check.err))" 0 $?
report "real model" res.json
t_ge "the model answered" 1 "$(jq -c 'select(.reply)' "$LC_LOG" | wc -l)"
t_ge "some answers were grammar-complete (done_reason stop)" 1 \
	"$(jq -c 'select(.reply.done_reason == "stop")' "$LC_LOG" | wc -l)"
t_eq "the schema went in format" object \
	"$(jq -r 'select(.path == "/api/chat") | .body.format.type' "$LC_LOG" | head -1)"

# 2. streamed answers: the same, from a fresh front with the same history
lc_start stream || exit 1
rm -f "$PHX_STATE_DIR/usage.ndjson"
phx llm --url "$LC_URL" --model "$model" --no-cache --stream --rejects srej.ndjson \
	< "$in" > sout.ndjson 2> serr
touch srej.ndjson
t_eq "stream: sent stream:true" true \
	"$(jq -r 'select(.path == "/api/chat") | .body.stream' "$LC_LOG" | sort -u)"
pick='[.property_id, .features, (._phx.llm // {} | .filled, .failed, .unsupported, .prompt_tokens, .completion_tokens)]'
t_eq "stream: the same records and fields as one-object answers" \
	"$(jq -c "$pick" out.ndjson)" "$(jq -c "$pick" sout.ndjson)"
t_eq "stream: the same rejects" "$(jq -c '[.code, .record.property_id]' rej.ndjson)" \
	"$(jq -c '[.code, .record.property_id]' srej.ndjson)"
$py check.py "$conf" "$in" sout.ndjson srej.ndjson "$LC_LOG" "$PHX_STATE_DIR/usage.ndjson" \
	"$sha" "$model" > sres.json 2> check.err
report "stream" sres.json

# 3. num_predict too small for the answer: llama.cpp stops it, done_reason length
lc_start short || exit 1
phx llm --url "$LC_URL" --model "$model" --no-cache --num-predict 16 --rejects lrej.ndjson \
	< "$in" > lout.ndjson 2> lerr
t_eq "num_predict 16: some rejected, exit 1" 1 $?
t_eq "num_predict 16: llama.cpp cut every answer at 16 tokens" "length 16" \
	"$(jq -r 'select(.reply) | "\(.reply.done_reason) \(.reply.eval_count)"' "$LC_LOG" | sort -u)"
t_eq "num_predict 16: every asked record rejected llm.length" \
	"$({ jq -c 'select(._phx.llm) | .property_id' out.ndjson; jq -c '.record.property_id' rej.ndjson; } | sort)" \
	"$(jq -c '.record.property_id' lrej.ndjson | sort)"
t_eq "num_predict 16: rejects say llm.length" llm.length "$(jq -r .code lrej.ndjson | sort -u)"
t_eq "num_predict 16: the rest passed through byte for byte" \
	"$(jq -c 'select(._phx.llm | not)' out.ndjson)" "$(jq -c . lout.ndjson)"

# 4. --check, and a model the front does not have
phx llm --check --url "$LC_URL" --model "$model" > chk; rc=$?
t_eq "--check: OK 0" 0 "$rc"
t_contains "--check: names the model and the context" "LLM OK - $model available" chk
t_contains "--check: the loaded context from /api/ps" "'context'=4096" chk
phx llm --check --url "$LC_URL" --model other:latest > chk2; rc=$?
t_eq "--check other model: CRITICAL 2" 2 "$rc"
phx llm --url "$LC_URL" --model other:latest --no-cache < "$in" > /dev/null 2> merr; rc=$?
t_eq "missing model: exit 78" 78 "$rc"
t_contains "missing model: names the pull" "ollama pull other:latest" merr
lc_stop
