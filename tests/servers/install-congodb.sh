#!/bin/sh
# install-congodb.sh - install the MongoDB test peer and the Node.js driver the
# benchmark compares against, into tests/servers/node_modules (git-ignored).
#
# The peer is CongoDB from @push.rocks/smartmongo 2.2.0. `npm i` of that package
# fails (its other half, mongodb-memory-server, wants to download mongod), so it
# is unpacked with `npm pack` into node_modules/.smartmongo and only its runtime
# dependencies are installed, from package.json/package-lock.json beside this
# script, with --ignore-scripts. Idempotent; prints nothing when all is there.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
mods="$dir/node_modules"
peer="$mods/.smartmongo"
version=2.2.0

# openssl makes the certificates of the TLS test.
installed() {
	command -v openssl >/dev/null 2>&1 || return 1
	[ -f "$peer/package.json" ] && grep -q "\"version\": \"$version\"" "$peer/package.json" ||
		return 1
	for m in bson mingo mongodb @push.rocks/smartfs @push.rocks/smartpath \
		@push.rocks/smartpromise @push.rocks/smartrx; do
		[ -f "$mods/$m/package.json" ] || return 1
	done
}
installed && exit 0

debs=""
command -v npm >/dev/null 2>&1 || debs="nodejs npm"
command -v openssl >/dev/null 2>&1 || debs="$debs openssl"
if [ -n "$debs" ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
		$debs >&2
fi
installed && exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log="$tmp/npm.log"
fail() {
	echo "install-congodb: $1 (npm log follows)" >&2
	cat "$log" >&2
	exit 1
}
echo "phx: installing the MongoDB test peer (CongoDB) into $mods" >&2
# npm ci replaces node_modules wholesale, so it runs before the peer is unpacked.
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >"$log" 2>&1 ||
	fail "npm ci failed"
(cd "$tmp" && npm pack "@push.rocks/smartmongo@$version" --loglevel=error) >>"$log" 2>&1 ||
	fail "npm pack failed"
mkdir -p "$peer.new"
tar -xzf "$tmp"/push.rocks-smartmongo-$version.tgz -C "$peer.new" --strip-components=1
rm -rf "$peer"
mv "$peer.new" "$peer"
installed || fail "the peer is still incomplete after installing"
