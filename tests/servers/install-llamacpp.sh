#!/bin/sh
# install-llamacpp.sh - node-llama-cpp (llama.cpp's C++ runtime for Node.js)
# and its prebuilt Linux x64 CPU binaries from npm, into
# tests/servers/llamacpp/node_modules (git-ignored), for the Ollama-compatible
# front tests/servers/llamacpp/front.mjs and tests/cli/llm_llamacpp.sh.
#
# Exact versions from package.json and package-lock.json beside front.mjs;
# `npm install --no-save` rather than `npm ci`, which insists on every
# platform's optional package, and a registry mirror may hold only some.
# --ignore-scripts skips node-llama-cpp's postinstall, which would fetch and
# build llama.cpp from GitHub when no prebuilt binary fits (and
# NODE_LLAMA_CPP_SKIP_DOWNLOAD says the same to it); --omit=optional leaves
# out the CUDA and Vulkan builds, which are large and of no use here. The
# prebuilt binary is then loaded once, without any build or download, so a
# machine it does not fit has no node_modules and the test skips.
# Idempotent; prints nothing when it is there. A failure here makes the test
# skip, not fail.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)/llamacpp
mods=$dir/node_modules
ok=$mods/.phx-loads	# holds the checksum of the lock it was installed from
want=$(cksum < "$dir/package-lock.json")
[ -f "$ok" ] && [ "$(cat "$ok")" = "$want" ] && exit 0
command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 ||
	{ echo "install-llamacpp: no node/npm: llm_llamacpp.sh will skip" >&2; exit 0; }
echo "phx: installing node-llama-cpp (npm) into $mods" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! (cd "$dir" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --no-save --ignore-scripts \
	--omit=optional --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
	echo "install-llamacpp: npm install failed: llm_llamacpp.sh will skip (npm log follows)" >&2
	tail -n 20 "$log" >&2
	rm -rf "$mods"
	exit 0
fi
if ! (cd "$dir" && node front.mjs --probe) >"$log" 2>&1; then
	echo "install-llamacpp: the prebuilt llama.cpp binary does not load here:" \
		"llm_llamacpp.sh will skip" >&2
	tail -n 20 "$log" >&2
	rm -rf "$mods"
	exit 0
fi
echo "$want" > "$ok"
