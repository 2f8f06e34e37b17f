#!/usr/bin/env bash
# A rejected token (HTTP 500 "Unauthorized" in the reason phrase) stops the
# run after exactly one request, with exit 78 and a message naming
# MARICOPA_API_KEY; a missing token sends nothing at all.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start || exit 1
bad=$(cat /proc/sys/kernel/random/uuid)
printf '%s\n' "$bad" > bad.token
chmod 600 bad.token

MARICOPA_API_KEY_FILE=$T/bad.token phx fetch --source maricopa --zip 85031,85033,85035 \
	--rate 1000/s > out.bad 2> err.bad
t_eq "wrong token: exit 78" 78 $?
t_eq "wrong token: exactly one request reached the server" 1 "$(wc -l < "$MC_LOG")"
t_eq "wrong token: that request was refused as unauthorized" '500 "bad"' \
	"$(jq -c '.status, .auth' "$MC_LOG" | paste -sd' ')"
t_contains "wrong token: the message names MARICOPA_API_KEY" MARICOPA_API_KEY err.bad
t_lines "wrong token: no record" 0 out.bad
t_absent "wrong token: the wrong token is not printed either" "$bad" out.bad err.bad \
	"$PHX_STATE_DIR"

# The same through stdin requests and through the plain variable.
: > "$MC_LOG"
printf '{"source":"maricopa","zip":"85031"}\n{"source":"maricopa","apn":"103-06-005"}\n' |
	(unset MARICOPA_API_KEY_FILE; export MARICOPA_API_KEY=$bad; phx fetch --rate 1000/s) \
	> out.bad2 2> err.bad2
t_eq "wrong token from MARICOPA_API_KEY: exit 78" 78 $?
t_eq "wrong token from MARICOPA_API_KEY: one request" 1 "$(wc -l < "$MC_LOG")"
t_contains "wrong token from MARICOPA_API_KEY: message names it" MARICOPA_API_KEY err.bad2

# No token at all: a configuration error before anything is sent.
: > "$MC_LOG"
(unset MARICOPA_API_KEY_FILE MARICOPA_API_KEY; phx fetch --source maricopa --zip 85031) \
	> out.none 2> err.none
t_eq "no token: exit 78" 78 $?
t_eq "no token: no request sent" 0 "$(wc -l < "$MC_LOG")"
t_contains "no token: the message names MARICOPA_API_KEY" MARICOPA_API_KEY err.none

# The run summary records the exit, and the auth reject is in the dead letters.
t_eq "run summary says 78" 78 "$(tail -n 1 "$PHX_STATE_DIR/runs.ndjson" | jq .exit)"
mc_stop
mc_no_token "token in no output, journal or server log" out.* err.* "$PHX_STATE_DIR" "$MC_DIR"
