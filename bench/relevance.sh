#!/usr/bin/env bash
# The relevance benchmark (issue #10 items 5 and 6; method and figures in BENCHMARKS.md, section
# "Relevance"). Imports the full ESCO catalog vendored in data/esco/ into a temporary database,
# serves it with one worker, runs every case (known items built from the ESCO file with a fixed
# seed, and the hand-written phrases of bench/relevance/phrases.tsv) through GET /skills?q=...&limit=10
# and through the two peers (tantivy and SQLite FTS5, bench/relevance/peers.py), then measures
# uncached search speed against the ceiling (bench/run.sh --only=uncached-search).
#
#   bash bench/relevance.sh                 full run (2,000 cases per class, 10 s of load)
#   bash bench/relevance.sh --quick         100 cases per class, 1 s of load: CI smoke, figures meaningless
#   bash bench/relevance.sh --binary PATH   judge that build (default: this tree's
#                                           target/release/powerskills, built or brought up to date)
#   --sample N (cases per class, 0 = all)   --seed S   --no-speed (relevance only)
#
# Writes target/relevance/report.md (relevance, then speed), report.json and cases.tsv (every
# case's rank per engine); the speed table alone also to target/relevance/speed.md. Python packages go into bench/relevance/.venv
# (pinned in bench/relevance/requirements.txt). Traffic goes to 127.0.0.1 only.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$PWD

BIN=
QUICK=0; SPEED=1; PYARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) BIN=$(realpath "$2"); shift ;;
    --binary=*) BIN=$(realpath "${1#*=}") ;;
    --quick) QUICK=1; PYARGS+=(--quick) ;;
    --sample) PYARGS+=(--sample "$2"); shift ;;
    --sample=*) PYARGS+=(--sample "${1#*=}") ;;
    --seed) PYARGS+=(--seed "$2"); shift ;;
    --seed=*) PYARGS+=(--seed "${1#*=}") ;;
    --no-speed) SPEED=0 ;;
    *) echo "unknown argument: $1 (see the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

# Without --binary, this tree's release build, brought up to date (a no-op when it is), so that a
# stale binary is never the one judged.
if [ -z "$BIN" ]; then
  echo "== building (release)" >&2
  cargo build --release --locked --quiet
  BIN=$ROOT/target/release/powerskills
fi
[ -x "$BIN" ] || { echo "no executable at $BIN" >&2; exit 2; }

# --- python environment (pinned) --------------------------------------------------------------
VENV=$ROOT/bench/relevance/.venv
REQ=$ROOT/bench/relevance/requirements.txt
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/requirements.txt"; then
  echo "== python environment ($VENV)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/requirements.txt"
fi

# --- ESCO in a temporary database, served by one worker -----------------------------------------
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== importing data/esco into $WORK/esco.db" >&2
"$BIN" import esco --skills data/esco/esco_skills_en.csv --groups data/esco/esco_skill_groups_en.csv \
  --database-url "sqlite://$WORK/esco.db" >"$WORK/import.log"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --database-url "sqlite://$WORK/esco.db" --bind "127.0.0.1:$PORT" --workers 1 \
  --log-level warn --reload-interval 0 2>"$WORK/server.log" &
SERVER_PID=$!
# Readiness: poll /readyz until it answers 200, at most 20,000 tries (no fixed sleep); give up at
# once when the server has exited.
tries=0
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz"; do
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  tries=$((tries+1)); [ $tries -lt 20000 ] || { echo "server never ready" >&2; exit 1; }
done

echo "== relevance" >&2
"$VENV/bin/python" bench/relevance/bench.py --base-url "http://127.0.0.1:$PORT" "${PYARGS[@]}"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=

if [ $SPEED = 1 ]; then
  echo "== uncached search speed (bench/run.sh --only=uncached-search)" >&2
  SPEEDARGS=(--only=uncached-search "--binary=$BIN")
  [ $QUICK = 1 ] && SPEEDARGS+=(--smoke)
  bash bench/run.sh "${SPEEDARGS[@]}"
  cp target/bench/results.md target/relevance/speed.md
  { echo; echo "## Uncached search speed (bench/run.sh --only=uncached-search)"; echo; cat target/bench/results.md; } \
    >>target/relevance/report.md
fi
echo "== written: target/relevance/report.md, report.json, cases.tsv" >&2
