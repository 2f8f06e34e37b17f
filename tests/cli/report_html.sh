#!/usr/bin/env bash
# The HTML report in headless Chromium: it renders (a screenshot that is not
# blank), runs no script of its own, loads nothing from outside, the hostile
# address stays text, and the layout holds at a mail client's width (no
# horizontal overflow, each chart at its size).
# shellcheck source=tests/lib.sh
. "$PHX_TOP/tests/lib.sh"
# shellcheck source=tests/fixtures/store/lib.sh
. "$PHX_TOP/tests/fixtures/store/lib.sh"
export PHX_STATE_DIR=$T/state PHX_DB=sqlite:$T/p.db
D=2025-06-01
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	t_fail "chromium is installed (scripts/install-deps)"
	exit 0
fi
# Chromium's profile, cache and crash dumps stay in the test's directory.
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_CACHE_HOME=$T/home/.cache
mkdir -p "$HOME"
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--no-first-run --user-data-dir="$T/profile" "$@" 2> "$T/chromium.err"
}

{
	parcel 101 85031 289100 2025-06-01T10:00:00Z
	jq -nc '{property_id:"addr:85033|9|elm st|", apn:null, address_key:"85033|9|elm st|",
		address:{street:"<img src=x onerror=alert(1)><script>document.title=\"pwned\"</script>", zip:"85033"},
		property_type:"single_family", features:{bedrooms:2, bathrooms:1}, parcel:null,
		listing:{mls_id:"M1", status:"active", list_price:123456,
		         url:"https://mls.example/listing/85033-9-elm-st-a-rather-long-address-that-goes-on-and-on-and-on-without-any-space-at-all"},
		source:"phoenix_mls", observed_at:"2025-06-01T17:00:00Z"}'
} | phx store --date "$D" > /dev/null 2>&1
# A reject whose reason is one long word (a URL, a base64 blob) must not
# stretch the page.
mkdir -p "$PHX_STATE_DIR/rejects"
printf '{"phx":"reject","tool":"phx-fetch","code":"fetch.http_404","reason":"%s","at":"2025-06-01T20:00:00Z","record":{}}\n' \
	"https://assessor.example/$(printf 'a%.0s' $(seq 1 400))" > "$PHX_STATE_DIR/rejects/phx-fetch-$D.ndjson"
phx report --now 2025-06-01T23:00:00Z --daily "$D" --format html > "$T/r.html" 2> "$T/r.err"
t_eq "html written" 0 $?
t_eq "the page asks for nothing from outside (no element that loads, no url())" 0 \
	"$(grep -Eci '<(img|iframe|link|object|embed|script|video|audio|source)[ >]|url\(' "$T/r.html")"

# A screenshot at a laptop's size.
chrome --window-size=1000,1800 --screenshot="$T/shot.png" "file://$T/r.html" > /dev/null
t_check "chromium takes a screenshot" test -s "$T/shot.png"
/usr/bin/python3 - "$T/shot.png" > "$T/png.check" 2>&1 <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
print(w, h, "not blank" if len(set(zlib.decompress(idat))) > 40 else "blank")
EOF
t_eq "the screenshot is the page, not a blank window" "1000 1800 not blank" "$(cat "$T/png.check")"

# The DOM as Chromium built it: no script element, no image, the title ours.
chrome --window-size=800,600 --dump-dom "file://$T/r.html" > "$T/dom.html"
t_check "chromium loads the page" test -s "$T/dom.html"
t_absent "no script element after loading" "<script" "$T/dom.html"
t_absent "no image element after loading" "<img" "$T/dom.html"
t_contains "the hostile address is text" "&lt;img src=x onerror=alert(1)&gt;" "$T/dom.html"
t_eq "the hostile script did not run: the title is the report's" \
	"phx daily report $D — 2 new, 0 updated, 0 rejected" \
	"$(sed -n 's|.*<title>\([^<]*\)</title>.*|\1|p' "$T/dom.html" | head -1)"

# Layout at a mail client's width: a copy of the page with a probe script
# (the report itself has none) that writes what it measured into the title.
sed 's|</body>|<script>document.title = "overflow " + (document.documentElement.scrollWidth > window.innerWidth) + " charts " + Array.from(document.querySelectorAll("svg")).map(function (s) { return Math.round(s.getBoundingClientRect().width); }).join(",");</script></body>|' \
	"$T/r.html" > "$T/probe.html"
chrome --window-size=800,600 --dump-dom "file://$T/probe.html" > "$T/probe.dom"
t_eq "800 px wide: nothing sticks out, three charts of 600 px" "overflow false charts 600,600,600" \
	"$(sed -n 's|.*<title>\([^<]*\)</title>.*|\1|p' "$T/probe.dom" | head -1)"
