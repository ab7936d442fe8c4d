#!/usr/bin/env bash
# Instructions per request on the hot read path (BENCHMARKS.md, "What the profile shows"): the
# server under callgrind, 1 worker, the seed catalog; N sequential keep-alive requests to one
# target, for N = 500 and 2,500; (I(2,500) - I(500)) / 2,000 is the cost of one request, start-up
# and shutdown cancelled out. Traffic goes to 127.0.0.1 only.
#
#   bench/callgrind.sh BINARY [TARGET] [-- serve args...]
#       BINARY   a powerskills binary (or the ceiling: bench/ceiling/target/release/powerskills-ceiling,
#                run as `ceiling ADDR 1 MANIFEST`, with CEILING_MANIFEST=path set)
#       TARGET   default /skills?category=ai
#   LOG_LEVEL=info (default warn) turns the access log on
#   REVALIDATE=1 sends every request with If-None-Match: the first answer's ETag (each must be a 304)
set -euo pipefail
BIN=$(realpath "$1"); shift
TARGET=/skills?category=ai
if [ $# -gt 0 ] && [ "$1" != -- ]; then TARGET=$1; shift; fi
[ "${1:-}" != -- ] || shift
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
# KEEP=dir keeps the two callgrind outputs there (for callgrind_annotate).
WORK=$(mktemp -d); trap 'if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; cp "$WORK"/out.* "$KEEP"/; fi; rm -rf "$WORK"' EXIT

instructions() { # requests -> total instructions of one server run
  local n=$1 port pid; shift
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  if [ -n "${CEILING_MANIFEST:-}" ]; then
    valgrind --tool=callgrind --callgrind-out-file="$WORK/out.$n" "$BIN" "127.0.0.1:$port" 1 "$CEILING_MANIFEST" \
      2>>"$WORK/valgrind.log" &
  else
    rm -f "$WORK/seed.db"*
    valgrind --tool=callgrind --callgrind-out-file="$WORK/out.$n" "$BIN" serve --bind "127.0.0.1:$port" --workers 1 \
      --database-url "sqlite://$WORK/seed.db" --log-level "${LOG_LEVEL:-warn}" "$@" 2>>"$WORK/valgrind.log" &
  fi
  pid=$!
  python3 - "$port" "$TARGET" "$n" "${REVALIDATE:-}" <<'PY'
import http.client, sys, time
port, target, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
revalidate = sys.argv[4] == "1"
# Wait for the server under valgrind to answer (start-up is slow there); then n requests on one
# keep-alive connection.
for _ in range(600):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", target)
        first = conn.getresponse(); first.read()
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("the server did not answer within 2 minutes")
headers = {"If-None-Match": first.getheader("ETag")} if revalidate else {}
for _ in range(n):
    conn.request("GET", target, headers=headers)
    res = conn.getresponse(); res.read()
    assert res.status == (304 if revalidate else 200), res.status
PY
  kill -TERM "$pid"; wait "$pid" || true
  # quanta's clock calibration (governor's clock, with --rate-limit) runs for a time, not a
  # number of steps, so under valgrind its instruction count varies by millions between runs;
  # it is taken out of the total so that the difference is the requests' alone.
  local total calibration
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$WORK/out.$n")
  calibration=$(callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$WORK/out.$n" 2>/dev/null |
    awk '/quanta::Calibration::calibrate/ {gsub(",", "", $1); print $1; exit}')
  echo $(( total - ${calibration:-0} ))
}

a=$(instructions 500 "$@")
b=$(instructions 2500 "$@")
echo "$(( (b - a) / 2000 )) instructions per request ($BIN $TARGET${*:+ $*})"
