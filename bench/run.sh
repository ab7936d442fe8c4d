#!/usr/bin/env bash
# The benchmark harness (see BENCHMARKS.md). Builds the release binary and the ceiling, prepares
# the seed catalog and the full ESCO catalog (vendored in data/esco/; a synthetic catalog of the
# same size if that is missing), then for each scenario runs wrk against powerskills and against
# the ceiling (bare actix-web answering the same bytes), server pinned to CPU 0 and wrk to CPU 1.
#
#   bench/run.sh            full run (10 s per scenario)
#   bench/run.sh --smoke    ~1 s per scenario: checks that the harness works, figures meaningless
#   bench/run.sh --only=uncached-search   only the ESCO search load where every request is a query
#                           never sent before (~285,000 distinct queries from the labels), its
#                           ceiling and the server's peak RSS (bench/relevance.sh runs this)
#   bench/run.sh --only=ids               only the ESCO lookups of clients that hold ids (issue #13):
#                           GET /skills?slug= with 20 slugs never asked before, and 1,000-id
#                           POST /skills/lookup, against their ceilings
#   bench/run.sh --only=hot  only the seed catalog's hot reads (log off, log on, 304, rate limit
#                           on), paired round by round with the ceiling: the #11 hot-path
#                           targets, in about five minutes
#   bench/run.sh --rounds=N               rounds of the hot reads (default 5, 3 s per load)
#   bench/run.sh --binary=PATH            measure that powerskills binary instead of building one
#
# Prints a markdown table and writes it to target/bench/results.md. Traffic goes to 127.0.0.1 only.
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(...) fails the run too
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=10
HOT_ROUNDS=5     # the seed catalog's hot reads: rounds per scenario, and seconds per load in a round
HOT_SECONDS=3
CONNECTIONS=32
SMOKE=0
ONLY=
BIN=
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1; DURATION=1; HOT_ROUNDS=1; HOT_SECONDS=1 ;;
    --rounds=*) HOT_ROUNDS="${arg#*=}" ;;
    --duration=*) DURATION="${arg#*=}" ;;
    --only=uncached-search) ONLY=uncached-search ;;
    --only=ids) ONLY=ids ;;
    --only=hot) ONLY=hot ;;
    --binary=*) BIN=$(realpath "${arg#*=}") ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else echo "install wrk" >&2; exit 1; fi
fi
need taskset || { echo "taskset (util-linux) is required" >&2; exit 1; }
CPUS=$(nproc)
SERVER_CPU=0; LOAD_CPU=1
[ "$CPUS" -ge 2 ] || LOAD_CPU=0

# Other work on the two cores moves every figure: the load average at the start goes in the report.
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
OUT=$ROOT/target/bench
rm -rf "$OUT"; mkdir -p "$OUT/bodies"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== building (release)" >&2
[ -n "$BIN" ] || { cargo build --release --locked --quiet; BIN=$ROOT/target/release/powerskills; }
(cd bench/ceiling && cargo build --release --locked --quiet)
CEILING=$ROOT/bench/ceiling/target/release/powerskills-ceiling

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
# Waits for the first 200 on /readyz (polling, no fixed sleep); prints the milliseconds it took.
wait_ready() { # port start_ms
  local tries=0
  until curl -sf -o /dev/null "http://127.0.0.1:$1/readyz"; do
    tries=$((tries+1)); [ $tries -lt 20000 ] || { echo "server on $1 never ready" >&2; exit 1; }
  done
  echo $(( $(now_ms) - $2 ))
}
peak_rss_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# --- catalogs -------------------------------------------------------------------------------
SEED_DB=$OUT/seed.db
ESCO_DB=$OUT/esco.db
if [ -f data/esco/esco_skills_en.csv ]; then
  ESCO_SKILLS=data/esco/esco_skills_en.csv; ESCO_GROUPS=data/esco/esco_skill_groups_en.csv
  ESCO_KIND="ESCO (data/esco)"
else
  python3 bench/synth_esco.py "$OUT/synthetic"
  ESCO_SKILLS=$OUT/synthetic/esco_skills_en.csv; ESCO_GROUPS=$OUT/synthetic/esco_skill_groups_en.csv
  ESCO_KIND="synthetic ESCO-sized catalog"
fi
t0=$(now_ms)
"$BIN" import esco --database-url "sqlite://$ESCO_DB" >"$OUT/import.log"
IMPORT_MS=$(( $(now_ms) - t0 ))

# --- servers ----------------------------------------------------------------------------------
SERVER_PID=
start_server() { # db log_level [serve args...] -> sets PORT, SERVER_PID, COLD_MS
  PORT=$(free_port)
  local t db=$1 level=$2; t=$(now_ms); shift 2
  taskset -c $SERVER_CPU "$BIN" serve --bind "127.0.0.1:$PORT" --workers 1 --database-url "sqlite://$db" \
    --log-level "$level" "$@" 2>>"$OUT/server-$PORT.log" &
  SERVER_PID=$!; PIDS+=("$SERVER_PID")
  COLD_MS=$(wait_ready "$PORT" "$t")
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

start_ceiling() { # manifest [headers] -> sets CPORT, CEILING_PID
  CPORT=$(free_port)
  taskset -c $SERVER_CPU "$CEILING" "127.0.0.1:$CPORT" 1 "$@" &
  CEILING_PID=$!; PIDS+=("$CEILING_PID")
  until curl -s -o /dev/null "http://127.0.0.1:$CPORT/"; do :; done
}

# Runs wrk; prints "rps p50_ms p99_ms errors".
load() { # url [lua script] [env...]
  local url=$1 script=${2:-}; shift 2 || shift 1
  local out
  out=$(env "$@" taskset -c $LOAD_CPU wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency ${script:+-s "$script"} "$url")
  echo "$out" >>"$OUT/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(v):
    n, u = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
# Anchored: "50%" also ends figures like "97.50%" in wrk's thread stats.
p50 = ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
p99 = ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errs = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if m: errs += sum(int(x) for x in m.groups())
m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", out)
secs = float(m.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(3)]
print(f"{rps:.0f} {p50:.3f} {p99:.3f} {errs} {m.group(1)} {secs:.2f}")
PY
}

ROWS=$OUT/rows.tsv; : >"$ROWS"
# Runs one scenario against powerskills and records its row: catalog, name, ceiling key, load args.
row() {
  local catalog=$1 name=$2 key=$3 res; shift 3
  res=$(load "$@")
  printf '%s\t%s\t%s\tceil:%s\n' "$catalog" "$name" "$res" "$key" >>"$ROWS"
}
MANIFEST=$OUT/manifest.tsv; : >"$MANIFEST"
# Records a scenario's bytes for the ceiling: method target etag file
record() { # name method target [curl args...]
  local name=$1 method=$2 target=$3; shift 3
  local file=$OUT/bodies/$name-$(echo "$target" | md5sum | cut -c1-8)
  local etag
  etag=$(curl -s -D - -o "$file" -X "$method" "$@" "http://127.0.0.1:$PORT$target" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
  printf '%s\t%s\t%s\t%s\n' "$method" "$target" "${etag:-\"none\"}" "$file" >>"$MANIFEST"
  echo "${etag:-\"none\"}"
}

SEED_PATHS=("/skills?category=ai" "/skills/nlp" "/categories")
ESCO_SEARCH=$OUT/search.paths; ESCO_AUTO=$OUT/autocomplete.paths
for w in data management software machine teaching safety marketing customer design energy patient legal music \
         quality budget network research vehicle food translate; do echo "/skills?q=$w&limit=20"; done >"$ESCO_SEARCH"
for p in ma mac mach da dat man mana so sof te tea sa saf mar cu cus de des en ene pa leg mu qu bu ne re ve fo tr; do
  echo "/skills/autocomplete?q=$p"; done >"$ESCO_AUTO"
# A 10 KiB text: ESCO descriptions, which mention skills the way job ads do.
python3 - "$ESCO_SKILLS" "$OUT/text10k.txt" <<'PY'
import csv, sys
text, rows = "", csv.DictReader(open(sys.argv[1], encoding="utf-8"))
for r in rows:
    if len(text.encode()) >= 10 * 1024: break
    text += r["description"] + " Experience with " + r["preferredLabel"] + ". "
open(sys.argv[2], "w", encoding="utf-8").write(text.encode()[:10 * 1024].decode("utf-8", "ignore"))
PY

# Every request of the uncached load is a search never sent before: distinct queries from the
# labels, each sent once (bench/lua/once.lua); 200 more, held out, give the ceiling its bodies.
UNCACHED=$OUT/uncached.paths; UNCACHED_CEIL=$OUT/uncached-ceiling.paths
UNCACHED_N=$(python3 bench/relevance/speed_queries.py "$ESCO_SKILLS" "$UNCACHED" "$UNCACHED_CEIL")
UNCACHED_ROW="search, $UNCACHED_N distinct queries, each sent once"
# Runs the uncached load on a fresh ESCO server (an empty response cache) and records its row, the
# ceiling's bodies and the server's peak RSS (UNCACHED_RSS, KiB). wrk divides by the whole -d even
# when once.lua stopped early because the list ran out, so a run that used up the list is thrown
# away and run again on a new server for half as long, down to 1 s.
uncached_search() {
  local d=$DURATION res reqs
  UNCACHED_RSS=0; UNCACHED_DURATION=
  while :; do
    start_server "$ESCO_DB" warn
    if [ -z "${UNCACHED_RECORDED:-}" ]; then
      while read -r p; do record esco GET "$p" >/dev/null; done <"$UNCACHED_CEIL"
      UNCACHED_RECORDED=1
    fi
    res=$(DURATION=$d load "http://127.0.0.1:$PORT/" bench/lua/once.lua PATHS="$UNCACHED")
    local rss; rss=$(peak_rss_kib "$SERVER_PID"); [ "$rss" -le "$UNCACHED_RSS" ] || UNCACHED_RSS=$rss
    stop_server
    reqs=$(echo "$res" | cut -d' ' -f5)
    if [ "$reqs" -lt $((UNCACHED_N - 320)) ]; then UNCACHED_DURATION=$d; break; fi
    echo "   the $UNCACHED_N queries ran out in a ${d} s run: again for $((d / 2)) s" >&2
    d=$((d / 2)); [ $d -ge 1 ] || { echo "the query list runs out within 1 s" >&2; exit 1; }
  done
  printf '%s\t%s\t%s\tceil:%s\n' esco "$UNCACHED_ROW" "$res" uncached >>"$ROWS"
}

# Clients that hold ids (issue #13). With an ESCO server on $PORT: the slugs and URIs to draw
# from, the ceiling's bodies (200 held-out 20-slug lookups and one 1,000-id POST), and the rows.
ids_scenarios() {
  curl -sf "http://127.0.0.1:$PORT/skills/export?format=ndjson" | python3 -c '
import json, sys
slugs, uris = open(sys.argv[1], "w"), open(sys.argv[2], "w")
for line in sys.stdin:
    r = json.loads(line)
    slugs.write(r["slug"] + "\n")
    if r.get("uri"): uris.write(r["uri"] + "\n")
' "$OUT/slugs.txt" "$OUT/uris.txt"
  python3 - "$OUT/slugs.txt" "$OUT/lookup-ceiling.paths" <<'PY'
import random, sys
slugs = open(sys.argv[1]).read().split()
rng = random.Random(1313)
with open(sys.argv[2], "w") as out:
    for _ in range(200):
        out.write("/skills?slug=" + ",".join(rng.choice(slugs) for _ in range(20)) + "\n")
PY
  while read -r p; do record esco GET "$p" >/dev/null; done <"$OUT/lookup-ceiling.paths"
  python3 - "$OUT/slugs.txt" "$OUT/uris.txt" "$OUT/lookup1000.json" <<'PY'
import json, random, sys
slugs, uris = open(sys.argv[1]).read().split(), open(sys.argv[2]).read().split()
rng = random.Random(1000)
json.dump({"slugs": [rng.choice(slugs) for _ in range(500)], "uris": [rng.choice(uris) for _ in range(500)]},
          open(sys.argv[3], "w"))
PY
  record esco POST /skills/lookup -H 'content-type: application/json' --data-binary @"$OUT/lookup1000.json" >/dev/null
  local ids=(SLUGS="$OUT/slugs.txt" URIS="$OUT/uris.txt")
  row esco "lookup: GET /skills?slug= with 20 distinct slugs, never asked before" "lookup20" \
    "http://127.0.0.1:$PORT/" bench/lua/lookup.lua "${ids[@]}"
  CONNECTIONS=1 row esco "lookup: POST 1,000 ids, a new set every request, 1 connection" "lookup1000c1" \
    "http://127.0.0.1:$PORT/skills/lookup" bench/lua/lookup_post.lua "${ids[@]}" FRESH=1
  CONNECTIONS=1 row esco "lookup: POST 1,000 ids, the same body (cached), 1 connection" "lookup1000c1" \
    "http://127.0.0.1:$PORT/skills/lookup" bench/lua/lookup_post.lua "${ids[@]}"
  row esco "lookup: POST 1,000 ids, a new set every request, $CONNECTIONS connections" "lookup1000" \
    "http://127.0.0.1:$PORT/skills/lookup" bench/lua/lookup_post.lua "${ids[@]}" FRESH=1
}
# The ceiling's side of ids_scenarios (the ceiling on $CPORT answers the recorded bodies).
ids_ceiling() {
  local ids=(SLUGS="$OUT/slugs.txt" URIS="$OUT/uris.txt")
  CEIL[lookup20]=$(load "http://127.0.0.1:$CPORT/" bench/lua/paths.lua PATHS="$OUT/lookup-ceiling.paths")
  CEIL[lookup1000c1]=$(CONNECTIONS=1 load "http://127.0.0.1:$CPORT/skills/lookup" bench/lua/lookup_post.lua "${ids[@]}")
  CEIL[lookup1000]=$(load "http://127.0.0.1:$CPORT/skills/lookup" bench/lua/lookup_post.lua "${ids[@]}")
}

if [ "$ONLY" = ids ]; then
  echo "== $ESCO_KIND: lookups by id only" >&2
  start_server "$ESCO_DB" warn; ESCO_COLD=$COLD_MS
  ids_scenarios
  ESCO_RSS=$(peak_rss_kib "$SERVER_PID"); stop_server
  start_ceiling "$MANIFEST"
  declare -A CEIL
  ids_ceiling
  kill "$CEILING_PID"; wait "$CEILING_PID" 2>/dev/null || true
fi

if [ "$ONLY" = uncached-search ]; then
  echo "== $ESCO_KIND: uncached search only" >&2
  uncached_search; ESCO_COLD=$COLD_MS; ESCO_RSS=$UNCACHED_RSS
  start_ceiling "$MANIFEST"
  declare -A CEIL
  CEIL[uncached]=$(load "http://127.0.0.1:$CPORT/" bench/lua/paths.lua PATHS="$UNCACHED_CEIL")
  kill "$CEILING_PID"; wait "$CEILING_PID" 2>/dev/null || true
fi

if [ -z "$ONLY" ] || [ "$ONLY" = hot ]; then
# --- seed catalog: the hot reads, paired with the ceiling round by round ----------------------
# Four servers run side by side on CPU 0, only one of them under load at a time: powerskills
# with the log off, with the JSON access log to a file, with rate limiting on, and the ceiling.
# Each scenario runs HOT_ROUNDS rounds; a round loads powerskills and then its reference (the
# ceiling, or for the rate limit the same server with it off) for HOT_SECONDS each, in the
# other order every second round. The machine's speed drifts over minutes (it is a VM): a ratio
# of two loads seconds apart is steadier than one of loads minutes apart, and the median over
# rounds ignores a round that was disturbed. bench/hot_targets.py reports medians and ranges.
echo "== seed catalog" >&2
rm -f "$SEED_DB"*
start_server "$SEED_DB" warn; SEED_COLD=$COLD_MS; OFF_PORT=$PORT; OFF_PID=$SERVER_PID
for p in "${SEED_PATHS[@]}"; do record seed GET "$p" >/dev/null; done
ETAG=$(curl -s -D - -o /dev/null "http://127.0.0.1:$PORT/skills?category=ai" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
echo "/skills?category=ai" >"$OUT/reval.paths"; echo "$ETAG" >"$OUT/reval.etags"
# The access log on, as operators run it: one JSON line per request, written to a file.
start_server "$SEED_DB" info --log-format json --log-file "$OUT/access.log"; LOG_PORT=$PORT; LOG_PID=$SERVER_PID
# Rate limiting on, at a rate no client reaches (wrk's 32 connections are one client, 127.0.0.1):
# the cost of counting every request in its client's bucket.
start_server "$SEED_DB" warn --rate-limit 100000000 --rate-limit-burst 100000000; RL_PORT=$PORT
# The headers powerskills sends on that 304 besides the ETag (and the framing actix writes):
# a second ceiling sends them too, a reference with the same bytes on the wire (a diagnostic
# row, not a target: BENCHMARKS.md, "What the 304 row measures").
curl -s -D - -o /dev/null -H "If-None-Match: $ETAG" "http://127.0.0.1:$OFF_PORT/skills?category=ai" | tr -d '\r' |
  grep -viE '^(HTTP/|date:|etag:|content-length:|$)' >"$OUT/304-headers.txt"
start_ceiling "$MANIFEST" "$OUT/304-headers.txt"; SAME_PORT=$CPORT
start_ceiling "$MANIFEST"
HOT=$OUT/hot.tsv; : >"$HOT"
REVAL=(bench/lua/paths.lua PATHS="$OUT/reval.paths" ETAGS="$OUT/reval.etags")
hot_pair() { # round name port reference_port path [lua args...]: one round of one scenario
  local round=$1 name=$2 port=$3 ref=$4 path=$5 side res; shift 5
  for side in $( [ $((round % 2)) = 1 ] && echo "server reference" || echo "reference server"); do
    res=$(DURATION=$HOT_SECONDS load "http://127.0.0.1:$( [ $side = server ] && echo "$port" || echo "$ref")$path" "$@")
    printf '%s\t%s\t%s\t%s\n' "$name" "$round" "$side" "$res" >>"$HOT"
  done
}
for round in $(seq 1 "$HOT_ROUNDS"); do
  echo "   round $round of $HOT_ROUNDS" >&2
  for p in "${SEED_PATHS[@]}"; do
    hot_pair "$round" "$p (log off)" "$OFF_PORT" "$CPORT" "$p"
    hot_pair "$round" "$p (log on, JSON to a file)" "$LOG_PORT" "$CPORT" "$p"
  done
  hot_pair "$round" "304 revalidation" "$OFF_PORT" "$CPORT" / "${REVAL[@]}"
  hot_pair "$round" "304 revalidation, against a ceiling sending the same headers" "$OFF_PORT" "$SAME_PORT" / "${REVAL[@]}"
  hot_pair "$round" "/skills?category=ai (rate limit on, against off)" "$RL_PORT" "$OFF_PORT" "/skills?category=ai"
done
SEED_RSS=$(peak_rss_kib "$OFF_PID"); SEED_RSS_LOG=$(peak_rss_kib "$LOG_PID")
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=()
ACCESS_LINES=$(wc -l <"$OUT/access.log")
fi

if [ -z "$ONLY" ]; then
# --- ESCO catalog -----------------------------------------------------------------------------
echo "== $ESCO_KIND" >&2
start_server "$ESCO_DB" warn; ESCO_COLD=$COLD_MS
while read -r p; do record esco GET "$p" >/dev/null; done <"$ESCO_SEARCH"
while read -r p; do record esco GET "$p" >/dev/null; done <"$ESCO_AUTO"
record esco POST /skills/extract -H 'content-type: text/plain; charset=utf-8' --data-binary @"$OUT/text10k.txt" >/dev/null
row esco "search (20 queries, cached after first)" "search" "http://127.0.0.1:$PORT/" bench/lua/paths.lua PATHS="$ESCO_SEARCH"
row esco "search (every request uncached)" "search" "http://127.0.0.1:$PORT/" bench/lua/distinct.lua PREFIX="/skills?q=management&limit=20&offset="
row esco "autocomplete (33 prefixes)" "autocomplete" "http://127.0.0.1:$PORT/" bench/lua/paths.lua PATHS="$ESCO_AUTO"
row esco "extract 10 KiB text" "extract" "http://127.0.0.1:$PORT/skills/extract" bench/lua/post.lua BODY="$OUT/text10k.txt"
ids_scenarios
ESCO_RSS=$(peak_rss_kib "$SERVER_PID"); stop_server
uncached_search; [ "$UNCACHED_RSS" -le "$ESCO_RSS" ] || ESCO_RSS=$UNCACHED_RSS

fi

if [ -z "$ONLY" ]; then
# --- the ceiling, same scenarios --------------------------------------------------------------
echo "== ceiling" >&2
start_ceiling "$MANIFEST"
declare -A CEIL
CEIL[search]=$(load "http://127.0.0.1:$CPORT/" bench/lua/paths.lua PATHS="$ESCO_SEARCH")
CEIL[autocomplete]=$(load "http://127.0.0.1:$CPORT/" bench/lua/paths.lua PATHS="$ESCO_AUTO")
CEIL[extract]=$(load "http://127.0.0.1:$CPORT/skills/extract" bench/lua/post.lua BODY="$OUT/text10k.txt")
CEIL[uncached]=$(load "http://127.0.0.1:$CPORT/" bench/lua/paths.lua PATHS="$UNCACHED_CEIL")
ids_ceiling
kill "$CEILING_PID"; wait "$CEILING_PID" 2>/dev/null || true
fi

# --- report -----------------------------------------------------------------------------------
{
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s per ESCO scenario, $CONNECTIONS connections, 1 worker;"
  echo "server on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU; load average at the start $LOAD_AT_START; ESCO: $ESCO_KIND. $( [ $SMOKE = 1 ] && echo 'SMOKE RUN: figures are not measurements.')"
  if [ -z "$ONLY" ] || [ "$ONLY" = hot ]; then
    echo
    echo "Seed catalog, hot reads: $HOT_ROUNDS rounds of ${HOT_SECONDS}s per server and scenario, each paired with its reference in the same round ($ACCESS_LINES access-log lines written to the file):"
    echo
    python3 bench/hot_targets.py "$HOT"
  fi
  [ "$ONLY" != hot ] || exit 0
  echo
  echo "| catalog | scenario | req/s | p50 ms | p99 ms | errors | ceiling req/s | ceiling p99 ms | ratio |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  while IFS=$'\t' read -r cat name res key; do
    read -r rps p50 p99 errs reqs secs <<<"$res"
    read -r crps _ cp99 _ <<<"${CEIL[${key#ceil:}]}"
    ratio=$(python3 -c "print(f'{$rps/$crps:.2f}')")
    echo "| $cat | $name | $rps | $p50 | $p99 | $errs | $crps | $cp99 | ${ratio}× |"
    case "$name" in
      "lookup: GET /skills?slug="*) LOOKUP20_LINE="ratio ${ratio}× (target ≥ 0.3×: $(python3 -c "print('met' if $rps/$crps >= 0.3 else 'missed')"))" ;;
      "lookup: POST 1,000 ids, a new set every request, 1 connection") LOOKUP1000_LINE="p99 $p99 ms, one connection, every set new (target ≤ 5 ms: $(python3 -c "print('met' if $p99 <= 5 else 'missed')"))" ;;
    esac
    if [ "${key#ceil:}" = uncached ]; then
      UNCACHED_LINE="$reqs requests in $secs s (-d ${UNCACHED_DURATION}s; the list holds $UNCACHED_N; none sent twice); ratio ${ratio}× (target ≥ 0.2×: $(python3 -c "print('met' if $rps/$crps >= 0.2 else 'missed')")), p99 $p99 ms (target ≤ 2 ms: $(python3 -c "print('met' if $p99 <= 2 else 'missed')"))"
    fi
  done <"$ROWS"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  [ -n "$ONLY" ] || echo "| peak RSS, seed catalog (log off / log on) | $((SEED_RSS/1024)) MiB / $((SEED_RSS_LOG/1024)) MiB |"
  echo "| peak RSS, ESCO catalog$( [ -n "$ONLY" ] && echo ", $ONLY only") | $((ESCO_RSS/1024)) MiB (target ≤ 160 MiB: $( [ $((ESCO_RSS/1024)) -le 160 ] && echo met || echo missed)) |"
  [ -n "$ONLY" ] || echo "| cold start to first 200 on /readyz, seed (fresh database) | $SEED_COLD ms |"
  echo "| cold start to first 200 on /readyz, ESCO (imported) | $ESCO_COLD ms |"
  echo "| ESCO import (13,939 skills) | $IMPORT_MS ms |"
  echo "| uncached search | ${UNCACHED_LINE:-not run} |"
  echo "| lookup of 20 slugs never asked before | ${LOOKUP20_LINE:-not run} |"
  echo "| 1,000-id POST lookup | ${LOOKUP1000_LINE:-not run} |"
} | tee "$OUT/results.md"
