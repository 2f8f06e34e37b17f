#!/usr/bin/env bash
# An APN request whose /parcel/<apn> answer has no APN key (the county leaves
# it out at times): the APN comes from the request, never fetch.bad_shape.
# The stand-in serves both variants; the answer's own APN wins when present.
. "$PHX_TOP/tests/lib.sh"
. "$PHX_TOP/tests/servers/maricopa.sh"

mc_start --parcel-without-apn || exit 1
oracle() { curl -sf -H "AUTHORIZATION: $(cat "$MARICOPA_API_KEY_FILE")" "$MARICOPA_BASE_URL$1"; }
t_eq "the stand-in answers without an APN key" false \
	"$(oracle /parcel/10306005 | jq -c 'has("APN")')"
echo '{"source":"maricopa","apn":"103-06-005"}' | phx fetch --details --rate 1000/s \
	> no.out 2> no.err
t_eq "no APN key: exit 0" 0 $?
t_lines "no APN key: one record" 1 no.out
t_eq "no APN key: the APN from the request" '"10306005" "apn:10306005"' \
	"$(jq -c '.apn, .property_id' no.out | paste -sd' ')"
t_absent "no APN key: no bad_shape reject" "fetch.bad_shape" no.err
t_eq "no APN key: raw is the answer as served" false \
	"$(jq -c '[.raw | .. | objects | has("APN")] | any' no.out)"

mc_start || exit 1
echo '{"source":"maricopa","apn":"103-06-005"}' | phx fetch --details --rate 1000/s \
	> yes.out 2> yes.err
t_eq "with the APN key: exit 0" 0 $?
t_eq "with the APN key: same APN" '"10306005"' "$(jq -c .apn yes.out)"
t_eq "both variants give the same features" "$(jq -cS .features yes.out)" \
	"$(jq -cS .features no.out)"
mc_stop
mc_no_token "token in no output, journal or server log" ./*.out ./*.err "$PHX_STATE_DIR" "$MC_DIR"
