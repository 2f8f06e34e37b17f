# shellcheck shell=bash
# shellcheck disable=SC2034 # PROXY_PID is read by the scripts that source this
# tests/servers/proxies.sh - real forward proxies (Debian's tinyproxy and squid)
# and the test web site on 127.0.0.1, for the proxy tests. Source it after
# tests/lib.sh; call proxies_stop from the script's EXIT trap.
#
#   start_target PORT [--deny-via WORD]...   the site; its log is $T/target.log
#   start_tinyproxy NAME PORT [USER PASS]    Via names it NAME; its pid: ${PROXY_PID[NAME]}
#   start_squid NAME PORT USER PASS          Basic auth (407 on a wrong password)
#   stop_pid PID                             stop one server, wait for it

PROXY_PIDS=()
SQUID_DIRS=()
declare -A PROXY_PID=()

stop_pid() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

proxies_stop() {
	local p d
	for p in "${PROXY_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PROXY_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	for d in "${SQUID_DIRS[@]}"; do rm -rf "$d"; done
	PROXY_PIDS=()
	SQUID_DIRS=()
}

start_target() {
	local port=$1; shift
	(cd "$T" && exec /usr/bin/python3 "$PHX_TOP/tests/servers/proxy_target.py" \
		--port "$port" --log "$T/target.log" "$@") &
	PROXY_PIDS+=("$!")
	t_wait_port "$port"
}

start_tinyproxy() {
	local name=$1 port=$2 dir=$T/$1
	mkdir -p "$dir"
	{
		echo "Port $port"
		echo "Listen 127.0.0.1"
		echo "Allow 127.0.0.1"
		echo "Timeout 10"
		echo "MaxClients 50"
		echo "LogLevel Info"
		echo "ViaProxyName \"$name\""
		[ $# -ge 4 ] && echo "BasicAuth $3 $4"
	} > "$dir/tinyproxy.conf"
	(cd "$dir" && exec tinyproxy -d -c "$dir/tinyproxy.conf") > "$dir/log" 2>&1 &
	PROXY_PIDS+=("$!")
	PROXY_PID[$name]=$!
	t_wait_port "$port"
}

# squid drops root for cache_effective_user, so its files live in a
# directory of their own that that user can reach.
start_squid() {
	local name=$1 port=$2 user=$3 pass=$4 dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/phx-squid.XXXXXX") || return 1
	SQUID_DIRS+=("$dir")
	echo "$user:$(openssl passwd -apr1 "$pass")" > "$dir/passwd"
	{
		echo "http_port 127.0.0.1:$port"
		echo "visible_hostname $name"
		echo "pid_filename $dir/squid.pid"
		echo "cache_log $dir/cache.log"
		echo "access_log stdio:$dir/access.log"
		echo "cache deny all"
		echo "cache_mem 4 MB"
		echo "coredump_dir $dir"
		echo "shutdown_lifetime 0 seconds"
		echo "auth_param basic program /usr/lib/squid/basic_ncsa_auth $dir/passwd"
		echo "auth_param basic children 1 startup=1 idle=1"
		echo "acl authed proxy_auth REQUIRED"
		echo "http_access allow localhost authed"
		echo "http_access deny all"
		[ "$(id -u)" = 0 ] && echo "cache_effective_user proxy"
	} > "$dir/squid.conf"
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown -R proxy "$dir"
	(cd "$dir" && exec squid -N -f "$dir/squid.conf") > "$dir/out" 2>&1 &
	PROXY_PIDS+=("$!")
	PROXY_PID[$name]=$!
	t_wait_port "$port"
}
