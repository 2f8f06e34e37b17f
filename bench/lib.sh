# shellcheck shell=bash disable=SC2154
# bench/lib.sh - what the benches that serve files share: ports, a
# private nginx, and cleaning up the servers they start. Sourced; the
# caller sets $work (its scratch dir) and $py (Debian's python3) first
# (hence SC2154 off: shellcheck cannot see them here).
pids=()
bench_cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap bench_cleanup EXIT

free_port() {
	"$py" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

wait_port() { # PORT: up to 10 s
	local i=0
	while ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && return 1; sleep 0.05
	done
}

# start_nginx PORT: serve $work/www on 127.0.0.1:PORT with keep-alive, its
# config, pid and temp files under $work/ng; returns once it listens.
start_nginx() {
	local port=$1 nginx
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	[ -x "$nginx" ] || { echo "bench: nginx not installed (apt-get install nginx-light)" >&2
		return 1; }
	mkdir -p "$work/ng/tmp"
	chmod 755 "$work"	# nginx workers run as nobody when started by root
	cat > "$work/ng/nginx.conf" <<CONF
worker_processes 1;
pid $work/ng/nginx.pid;
error_log $work/ng/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $work/ng/tmp/body;
	proxy_temp_path $work/ng/tmp/proxy;
	fastcgi_temp_path $work/ng/tmp/fastcgi;
	uwsgi_temp_path $work/ng/tmp/uwsgi;
	scgi_temp_path $work/ng/tmp/scgi;
	types { application/json json; }
	keepalive_requests 100000;
	server { listen 127.0.0.1:$port; root $work/www; }
}
CONF
	(cd "$work/ng" && exec "$nginx" -e "$work/ng/error.log" -p "$work/ng" \
		-c "$work/ng/nginx.conf" -g 'daemon off;') &
	pids+=($!)
	wait_port "$port" || { echo "bench: nginx did not start" >&2
		cat "$work/ng/error.log" >&2; return 1; }
}
