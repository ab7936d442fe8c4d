#!/usr/bin/env bash
# Load shedding: CONNECTIONS connections (default 1500) of the most expensive request we know —
# a 32 KiB extraction (the largest accepted; 100 KiB until branch `bound`) of `ict ` (a label
# several ESCO skills share: the biggest answer) with
# Accept-Encoding: br — for DURATION seconds (default 30), while a well-behaved client times
# `/readyz` and `/healthz` (alternately, one at a time, 5 s timeout each), on the API's address and on the
# operations address (`--metrics-bind`, its own thread). Prints wrk's status counts and the probes'
# p50/p99/max. Pass (issue #15): probes p99 <= 100 ms, and no 5xx other than 503.
# Loopback only; the server (1 worker) is pinned to CPU 0, wrk to CPU 1; both stop on exit.
# Also prints the load average before and after, and each server thread's CPU time and time
# spent runnable but waiting for a CPU during the flood (/proc/PID/task/*/schedstat).
# SHED_REQUEST=search floods with stop-word searches instead (`GET /skills?q=a&limit=100` at a
# random offset within the search window, 0–900, RELIABILITY.md "cost"); SHED_REQUEST=autocomplete with random six-letter
# completions (each needs the fuzzy fill-up); SHED_REQUEST=lookup with 1,000-slug
# `POST /skills/lookup` bodies, a new random set each time.
#
#   bash scripts/shed.sh DATABASE_URL [CONNECTIONS] [DURATION] [BIN]
#   e.g. bash scripts/shed.sh sqlite:///tmp/esco.db        # needs wrk and a release build
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: shed.sh DATABASE_URL [CONNECTIONS] [DURATION] [BIN]}
CONNECTIONS=${2:-1500}
DURATION=${3:-30}
BIN=${4:-${CARGO_TARGET_DIR:-target}/release/powerskills}
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
OPS=$(free_port)
taskset -c 0 "$BIN" serve --bind "127.0.0.1:$PORT" --metrics-bind "127.0.0.1:$OPS" --database-url "$DB" --workers 1 \
    --log-level warn,powerskills::access=off >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
    sleep 0.1 # polling interval; /readyz decides
done
if [ "${SHED_REQUEST:-extract}" = search ]; then
    TARGET=/skills
    cat >"$WORK/post.lua" <<'LUA'
request = function()
  return wrk.format("GET", "/skills?q=a&limit=100&offset=" .. math.random(0, 900))
end
LUA
elif [ "$SHED_REQUEST" = autocomplete ]; then
    # Six random letters: almost never a prefix, so every one needs the fuzzy fill-up (a search).
    TARGET=/skills/autocomplete
    cat >"$WORK/post.lua" <<'LUA'
request = function()
  local q = {}
  for i = 1, 6 do q[i] = string.char(math.random(97, 122)) end
  return wrk.format("GET", "/skills/autocomplete?limit=20&q=" .. table.concat(q))
end
LUA
elif [ "$SHED_REQUEST" = lookup ]; then
    # 1,000 slugs of the catalog, a new random set each request (never cached): the largest
    # lookup, answered on the worker thread.
    TARGET=/skills/lookup
    curl -sf "http://127.0.0.1:$PORT/skills/export?format=ndjson" |
        python3 -c 'import json, sys; print("slugs = {" + ",".join(json.dumps(json.loads(l)["slug"]) for l in sys.stdin) + "}")'         >"$WORK/post.lua"
    cat >>"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local picked = {}
  for i = 1, 1000 do picked[i] = '"' .. slugs[math.random(#slugs)] .. '"' end
  return wrk.format(nil, nil, nil, '{"slugs":[' .. table.concat(picked, ",") .. ']}')
end
LUA
else
    TARGET=/skills/extract
    cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["Accept-Encoding"] = "br"
wrk.body = string.rep("ict ", 8192)
LUA
fi
cat >>"$WORK/post.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done()
  local total = {}
  for _, t in ipairs(threads) do
    for s, n in pairs(t:get("statuses")) do total[s] = (total[s] or 0) + n end
  end
  for s, n in pairs(total) do io.write(string.format("status %d: %d\n", s, n)) end
end
LUA
schedstat() { for t in /proc/$SERVER/task/*; do echo "${t##*/} $(tr ' ' _ <"$t/comm") $(cat "$t/schedstat")"; done; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
schedstat >"$WORK/sched.before"
taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s -s "$WORK/post.lua" \
    "http://127.0.0.1:$PORT$TARGET" >"$WORK/wrk" 2>&1 &
WRK=$!
python3 - "$PORT" "$OPS" "$DURATION" <<'PY'
import socket, sys, time
ports = {"api": int(sys.argv[1]), "ops": int(sys.argv[2])}
duration = float(sys.argv[3])
time.sleep(3)  # let wrk open its connections first: the probes measure the loaded server
times = {(where, path): [] for where in ports for path in ("/readyz", "/healthz")}
end = time.monotonic() + duration - 5
while time.monotonic() < end:
    for where, path in times:
        t = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", ports[where]), timeout=5) as s:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
                answer = b""
                while c := s.recv(4096):
                    answer += c
            ok = answer.startswith(b"HTTP/1.1 200")
        except OSError:
            ok = False
        times[(where, path)].append((time.monotonic() - t) * 1000 if ok else float("inf"))
for (where, path), ts in times.items():
    ts.sort()
    n = len(ts)
    pct = lambda q: ts[min(n - 1, int(q * n))]
    print(f"{where} {path}: {n} probes, p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {ts[-1]:.1f} ms, "
          f"failed or over 5 s {sum(t == float('inf') for t in ts)}")
PY
wait $WRK || true
schedstat >"$WORK/sched.after"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Per thread name: ms on a CPU, ms runnable but waiting for one (both summed over the threads).
awk 'NR == FNR {run0[$1] = $3; wait0[$1] = $4; next}
     {run[$2] += ($3 - run0[$1]) / 1e6; wait[$2] += ($4 - wait0[$1]) / 1e6}
     END {for (n in run) if (run[n] + wait[n] >= 1) printf "thread %s: %.0f ms running, %.0f ms waiting for a CPU\n", n, run[n], wait[n]}' \
    "$WORK/sched.before" "$WORK/sched.after" || true
grep -E "requests in|Non-2xx|Socket errors|Latency|^status" "$WORK/wrk" || true
grep -c '"level":"ERROR"\|ERROR' "$WORK/server.log" | sed 's/^/server error lines: /' || true
