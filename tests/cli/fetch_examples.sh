#!/usr/bin/env bash
# Every example in phx-fetch(1) runs, as written, against the stand-in
# assessor, and does what the page says: the documentation cannot rot.
# (The rate comes from PHX_FETCH_RATE so the command lines stay untouched.)
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start || exit 1
export PHX_FETCH_RATE=5000/s
printf '%s\n' "$MARICOPA_BASE_URL/search/property/?q=85031" \
	"$MARICOPA_BASE_URL/parcel/10306005" "$MARICOPA_BASE_URL/" > urls.txt

# The literal blocks of the EXAMPLES section, one command a line.
awk '/^\.Sh EXAMPLES/ { on = 1; next } /^\.Sh / { on = 0 }
	on && /^\.Bd -literal/ { lit = 1; next } on && /^\.Ed/ { lit = 0; next }
	on && lit { print }' "$PHX_TOP/man/phx-fetch.1" | sed 's/\\e/\\/g' > examples.txt
t_ge "the man page has examples" 4 "$(wc -l < examples.txt)"

# What each example must produce; an example not listed here fails, so a new
# one gets an expectation when it is written.
expect() {
	case $1 in
	*"--zip 85031,85033,85035"*) echo "29650 zip" ;;
	*'"zip":"85031"'*) echo "6632 zip" ;;
	*'"apn":"103-06-005"'*--details*) echo "1 details" ;;
	*"--zip 85031 --details --max-age"*) echo "6632 details" ;;
	*"--url-file urls.txt"*) echo "3 url" ;;
	*) echo "" ;;
	esac
}
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	want=$(expect "$cmd")
	if [ -z "$want" ]; then
		t_fail "example $n has an expectation in this test" "$cmd"
		continue
	fi
	read -r lines kind <<< "$want"
	export PHX_STATE_DIR=$T/state.$n
	# Run it as the page writes it, with phx-fetch from the build under test.
	(PATH=$PHX_BIN:$PATH; eval "$cmd") > "ex.$n.out" 2> "ex.$n.err" < /dev/null
	t_eq "example $n exits 0: $cmd" 0 $?
	t_lines "example $n: $lines records" "$lines" "ex.$n.out"
	case $kind in
	zip) t_eq "example $n: one record per parcel" "$lines" \
		"$(jq -r .apn "ex.$n.out" | sort -u | wc -l)" ;;
	details) t_eq "example $n: valuations on every record" 0 \
		"$(jq -c 'select((.parcel.valuations | length) != 5)' "ex.$n.out" | wc -l)" ;;
	url) t_eq "example $n: status of each URL" "200 200 200" \
		"$(jq -r .status "ex.$n.out" | paste -sd' ')" ;;
	esac
done < examples.txt
mc_stop
mc_no_token "token in no output, journal or server log"
