#!/usr/bin/env bash
# Load: a mixed workload (scripts/load.lua) at 64 connections for DURATION seconds (default 60)
# against a fresh release server on 127.0.0.1 only; samples the server's RSS every second.
# Pass: 0 socket errors, 0 non-2xx/3xx, 0 5xx, RSS growth under 10% between the 10th and the
# last second. Bounded: wrk stops after DURATION, the server is stopped on exit.
#
#   bash scripts/load.sh [DURATION]     # needs: apt-get install -y wrk; cargo build --release
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-60}
TARGET=${CARGO_TARGET_DIR:-target}
BIN="$TARGET/release/powerskills"
[[ -x "$BIN" ]] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "install wrk first: apt-get install -y wrk" >&2; exit 1; }
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The server on CPU 0, the load generator on CPU 1 (2-core machine).
taskset -c 0 "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "sqlite://$WORK/load.db" --workers 1 \
    --log-level warn >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
    sleep 0.1 # polling interval; /readyz decides
done
ETAG=$(curl -sfI "http://127.0.0.1:$PORT/skills" | tr -d '\r' | awk 'tolower($1)=="etag:" {print $2}')

# Sampled while the load runs (seconds 1 to DURATION-1): after it, the allocator gives memory back.
(for s in $(seq 1 $((DURATION - 1))); do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status" 2>/dev/null || echo 0)
    echo "$s $rss"
    sleep 1
done) >"$WORK/rss" &
SAMPLER=$!
taskset -c 1 wrk -t2 -c64 -d"${DURATION}s" --latency -s scripts/load.lua "http://127.0.0.1:$PORT" -- "$ETAG" | tee "$WORK/wrk"
wait $SAMPLER || true

rss10=$(awk '$1==10 {print $2}' "$WORK/rss")
rss_last=$(tail -1 "$WORK/rss" | awk '{print $2}')
peak=$(sort -k2 -n "$WORK/rss" | tail -1 | awk '{print $2}')
# Growth: the highest RSS after the 10th second against the 10th second's.
peak_after10=$(awk '$1 >= 10 {print $2}' "$WORK/rss" | sort -n | tail -1)
growth=$(awk -v a="$rss10" -v b="$peak_after10" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
requests=$(awk '/requests in/ {print $1}' "$WORK/wrk")
non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$WORK/wrk")
errors=$(awk '/Socket errors/ {print}' "$WORK/wrk")
fivexx=$(awk '/5xx responses/ {print $NF}' "$WORK/wrk")
echo "requests: $requests; non-2xx/3xx: ${non2xx:-0}; 5xx: ${fivexx:-?}; socket errors: ${errors:-none}"
echo "RSS: ${rss10} KiB at 10 s, ${rss_last} KiB at $((DURATION - 1)) s (growth ${growth}%), peak ${peak} KiB"
[[ -z "$errors" && -z "$non2xx" && "$fivexx" == 0 ]] && awk -v g="$growth" 'BEGIN {exit !(g < 10)}'
