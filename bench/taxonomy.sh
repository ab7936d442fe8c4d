#!/usr/bin/env bash
# The three speed targets of the taxonomies issue (#12), in one run (see BENCHMARKS.md,
# "Taxonomies"):
#   1. `powerskills import esco` of the full vendored data (data/esco, embedded) into a fresh
#      database (wall clock, and the import's own breakdown);
#   2. cold start of a server on that database to its first 200 on /readyz (5 starts);
#   3. the change feed between two ESCO versions that differ in 1,000 skills (400 described anew,
#      300 removed, 300 added), as computed by the second import, and its first /changes page.
# Release build, server pinned to CPU 0 like bench/run.sh. Traffic goes to 127.0.0.1 only.
#
#   bench/taxonomy.sh        prints a markdown table, also written to target/bench-taxonomy/results.md
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench-taxonomy
rm -rf "$OUT"; mkdir -p "$OUT"
PID=
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT

cargo build --release --locked --quiet
BIN=$ROOT/target/release/powerskills
now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. import
DB=$OUT/esco.db
t0=$(now_ms)
"$BIN" import esco --database-url "sqlite://$DB" >"$OUT/import-1.log"
IMPORT_MS=$(( $(now_ms) - t0 ))
IMPORT_DETAIL=$(sed -n 's/^took //p' "$OUT/import-1.log")

# 2. cold start: spawn, poll /readyz (no fixed sleep), stop; five times.
COLD=()
for i in 1 2 3 4 5; do
  PORT=$(free_port)
  t=$(now_ms)
  taskset -c 0 "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1 --database-url "sqlite://$DB" \
    --log-level warn --reload-interval 0 2>>"$OUT/server.log" &
  PID=$!
  tries=0
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz"; do
    tries=$((tries+1)); [ $tries -lt 20000 ] || { echo "server never ready" >&2; exit 1; }
  done
  COLD+=($(( $(now_ms) - t )))
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
COLD_SORTED=$(printf '%s\n' "${COLD[@]}" | sort -n | tr '\n' ' ')
COLD_MEDIAN=$(printf '%s\n' "${COLD[@]}" | sort -n | sed -n 3p)
COLD_MAX=$(printf '%s\n' "${COLD[@]}" | sort -n | tail -1)

# 3. a second ESCO version differing in 1,000 skills, imported over the first.
python3 - "$ROOT/data/esco/esco_skills_en.csv" "$OUT/esco_skills_v2.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
header, body = rows[0], rows[1:]
step = len(body) // 1000
out, changed, removed = [], 0, 0
for i, r in enumerate(body):
    k = i // step if i % step == 0 else None
    if k is not None and k < 1000:
        if k % 10 < 4:
            r = r[:4] + [r[4] + " (revised)"] + r[5:]; changed += 1
        elif k % 10 < 7:
            removed += 1; continue
    out.append(r)
added = [[f"http://example.org/skill/new-{n}", f"new skill {n}", "", "skill/competence",
          f"A skill added by the second version ({n}).", "S1.1.1"] for n in range(300)]
# New skills in the middle of the order, as a new release would interleave them.
mid = len(out) // 2
out = out[:mid] + added + out[mid:]
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n")
w.writerow(header); w.writerows(out)
print(changed, removed, len(added), file=sys.stderr)
PY
t0=$(now_ms)
"$BIN" import esco --skills "$OUT/esco_skills_v2.csv" --groups "$ROOT/data/esco/esco_skill_groups_en.csv" \
  --database-url "sqlite://$DB" >"$OUT/import-2.log"
REIMPORT_MS=$(( $(now_ms) - t0 ))
REIMPORT_DETAIL=$(sed -n 's/^took //p' "$OUT/import-2.log")
DIFF_S=$(sed -n 's/.*computing the changes \([0-9.]*\) s.*/\1/p' "$OUT/import-2.log")
READ_S=$(sed -n 's/.*reading the catalog replaced \([0-9.]*\) s.*/\1/p' "$OUT/import-2.log")
CHANGES=$(sed -n 's/^version [0-9]*: //p' "$OUT/import-2.log")

# The feed as served: first page, and the whole feed's size.
PORT=$(free_port)
taskset -c 0 "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1 --database-url "sqlite://$DB" \
  --log-level warn --reload-interval 0 2>>"$OUT/server.log" &
PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz"; do :; done
FEED_TOTAL=$(curl -sf "http://127.0.0.1:$PORT/changes?since=2&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
FIRST_PAGE=$(curl -sf -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/changes?since=2&limit=100")
CHANGES_BYTES=$(python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT version_id, COUNT(*), SUM(LENGTH(record)) FROM changes GROUP BY version_id").fetchall())
PY
)
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
BIN_BYTES=$(stat -c %s "$BIN")

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }
{
  echo "| target | measured | verdict |"
  echo "|---|---|---|"
  echo "| ESCO import (13,939 skills, fresh database) ≤ 5 s | $(awk -v m=$IMPORT_MS 'BEGIN{printf "%.2f", m/1000}') s wall ($IMPORT_DETAIL) | $(verdict "$IMPORT_MS" 5000) |"
  echo "| cold start on the ESCO database to first 200 on /readyz ≤ 500 ms | median $COLD_MEDIAN ms, max $COLD_MAX ms (5 starts: $COLD_SORTED) | $(verdict "$COLD_MAX" 500) |"
  echo "| change feed between two ESCO versions differing in 1,000 skills ≤ 1 s | reading the catalog replaced $READ_S s + computing the changes $DIFF_S s; $CHANGES | $(verdict "$(awk -v a=$READ_S -v b=$DIFF_S 'BEGIN{print (a+b)*1000}')" 1000) |"
  echo "| (re-import of that second version, whole) | $(awk -v m=$REIMPORT_MS 'BEGIN{printf "%.2f", m/1000}') s wall ($REIMPORT_DETAIL) | |"
  echo "| (its feed: /changes?since=2) | $FEED_TOTAL changes; first page of 100 in ${FIRST_PAGE} s; change rows per version (count, record bytes): $CHANGES_BYTES | |"
  echo "| release binary ≤ 25 MB | $BIN_BYTES bytes | $(verdict "$BIN_BYTES" 26214400) |"
} | tee "$OUT/results.md"
