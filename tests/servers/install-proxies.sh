#!/bin/sh
# install-proxies.sh - what the proxy tests start: tinyproxy and squid (real
# forward proxies) and openssl (makes squid's Basic auth password file).
# Idempotent; prints nothing when all is there. Runs as root in CI.
set -eu
missing=""
command -v tinyproxy >/dev/null 2>&1 || missing="$missing tinyproxy"
command -v squid >/dev/null 2>&1 || [ -x /usr/sbin/squid ] || missing="$missing squid"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -x /usr/lib/squid/basic_ncsa_auth ] || missing="$missing squid"
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
