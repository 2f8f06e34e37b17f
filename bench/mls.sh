#!/usr/bin/env bash
# bench/mls.sh BIN_DIR [--quick] - the MLS detail-page extractor's speed.
#
# Extraction of generated Flexmls detail pages (3 in 4 classic, 1 in 4 v2,
# bench from tests/fixtures/mls/pages.py) read from files, no network:
# phx's extractor (lib/mls_detail.c through bench/mls_extract.c, linked with
# the build's libphx.a) against Python lxml running the same XPath selectors
# of etc/mls-selectors.conf with the same layers (bench/mls_lxml.py), the
# script a user would otherwise write. Prints records per CPU second for
# both and the ratio (aim >= 3), peak memory at a tenth of the pages and at
# all of them (aim: flat), and how many records of the two agree on MLS#,
# price, status, beds, baths and square feet.
# --quick: 2,000 pages instead of 10,000.
set -u
bin=${1:?usage: bench/mls.sh BIN_DIR [--quick]}
quick=0
[ "${2:-}" = --quick ] && quick=1
top=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin=$top/$bin ;; esac
export LC_ALL=C.UTF-8 TZ=UTC
pages=10000
[ $quick = 1 ] && pages=2000
py=/usr/bin/python3
lib=$bin/../libphx.a
[ -f "$lib" ] || { echo "bench/mls.sh: no $lib (run make first)" >&2; exit 1; }
"$py" -c 'import lxml' 2>/dev/null || { echo "bench/mls.sh: python3-lxml is missing" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/phx-bench-mls.XXXXXX")
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

pkgs="libcurl jansson sqlite3 libmongoc-1.0 libxml-2.0"
# shellcheck disable=SC2046,SC2086
cc -std=c11 -D_GNU_SOURCE -O2 -I"$top/lib" $(pkg-config --cflags $pkgs) \
	-o "$work/mls_extract" "$top/bench/mls_extract.c" "$lib" \
	$(pkg-config --libs $pkgs) -lcsv -lm ||
	{ echo "bench/mls.sh: cannot build bench/mls_extract.c" >&2; exit 1; }
if [ -x /usr/bin/time ]; then
	timer() { local o=$1; shift; /usr/bin/time -f '%e %U %S %M' -o "$o" "$@"; }
else
	cc -std=c11 -D_GNU_SOURCE -O2 -o "$work/rusage" "$top/bench/rusage.c" || exit 1
	timer() { "$work/rusage" "$@"; }
fi

mkdir -p "$work/p"
"$py" "$top/tests/fixtures/mls/pages.py" bench "$work/p" "$pages" || exit 1
bytes=$(cat "$work/p"/*.html | wc -c)
head -n $((pages / 10)) "$work/p/urls.txt" > "$work/p/tenth.txt"
cd "$work/p" || exit 1
cat ./*.html > /dev/null	# page cache warm for both

measure() { # NAME COMMAND... ; prints "elapsed user sys maxrss_kb"
	local name=$1; shift
	timer "$work/time.$name" "$@" > "$work/out.$name" 2> "$work/err.$name" ||
		{ echo "bench/mls.sh: $name failed" >&2; tail -5 "$work/err.$name" >&2; }
	tail -n 1 "$work/time.$name" | cut -d' ' -f1-4
}
sel=$top/etc/mls-selectors.conf
read -r _ p_us p_sy p_rss < <(measure phx "$work/mls_extract" -s "$sel" urls.txt)
read -r _ x_us x_sy x_rss < <(measure lxml "$py" "$top/bench/mls_lxml.py" urls.txt "$sel")
read -r _ _ _ t_rss < <(measure phx10 "$work/mls_extract" -s "$sel" tenth.txt)
read -r _ _ _ l_rss < <(measure lxml10 "$py" "$top/bench/mls_lxml.py" tenth.txt "$sel")
p_out=$(grep -c '"source":"phoenix_mls"' "$work/out.phx")
x_out=$(grep -c '"source": "phoenix_mls"' "$work/out.lxml")
agree=$("$py" - "$work/out.phx" "$work/out.lxml" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
ok = 0
for x, y in zip(a, b):
    if "listing" not in x or "listing" not in y:
        continue
    L, F, M = x["listing"], x["features"], y["listing"]
    mine = (L["mls_id"], L["list_price"], L["status"], F["bedrooms"], F["bathrooms"],
            F["square_feet"])
    theirs = tuple(M.get(k) for k in ("mls_id", "list_price", "status", "bedrooms",
                                     "bathrooms", "square_feet"))
    ok += mine == theirs
print(ok)
PY
)
echo "mls extraction: $pages generated detail pages ($((bytes / 1024)) KiB) from files, one process each"
echo "  (phx: $p_out records; lxml: $x_out records; $agree agree on MLS#, price, status, beds, baths, sqft)"
awk -v n="$pages" -v pu="$p_us" -v ps="$p_sy" -v pr="$p_rss" -v xu="$x_us" -v xs="$x_sy" \
	-v xr="$x_rss" -v tr="$t_rss" -v lr="$l_rss" 'BEGIN {
	pc = pu + ps; xc = xu + xs; if (pc <= 0) pc = 0.01; if (xc <= 0) xc = 0.01
	printf "  %-10s %16s %12s %18s %18s\n", "tool", "records/CPU s", "CPU s", "peak RSS 1/10", "peak RSS all"
	printf "  %-10s %16.0f %12.2f %15d KB %15d KB\n", "phx", n / pc, pc, tr, pr
	printf "  %-10s %16.0f %12.2f %15d KB %15d KB\n", "lxml", n / xc, xc, lr, xr
	printf "  ratio phx/lxml: %.2fx records per CPU second (aim >= 3); memory all/tenth: phx %.2f, lxml %.2f (aim: flat, ~1)\n",
		xc / pc, pr / tr, xr / lr
}'
