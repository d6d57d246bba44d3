#!/usr/bin/env bash
# Run a command beside a throw-away Redis server on a free local port, in a temporary directory,
# removed afterwards; nothing is written to disk. The command finds it in TEST_REDIS_URL.
set -euo pipefail
server=$(command -v redis-server || echo /usr/bin/redis-server)
[ -x "$server" ] || { echo "redis-server not found: run scripts/system-deps.sh test" >&2; exit 1; }

dir=$(mktemp -d /tmp/crmgate-redis.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap stop EXIT

"$server" --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
  --daemonize no --logfile "$dir/server.log" &
pid=$!

# Ready when it answers PING; give up after ten seconds, showing its log.
ready='import socket, sys
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
        s.sendall(b"PING\r\n")
        sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)'
for _ in $(seq 100); do
  python3 -c "$ready" "$port" && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; echo "redis-server did not start" >&2; exit 1; }
  sleep 0.1
done
python3 -c "$ready" "$port" || { cat "$dir/server.log" >&2; echo "redis-server did not answer" >&2; exit 1; }

export TEST_REDIS_URL="redis://127.0.0.1:$port"
"$@"
