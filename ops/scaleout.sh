#!/usr/bin/env bash
# Scale-out test, without Docker: three powerskills replicas (each with its own database file)
# behind nginx on loopback.
#
#   ops/scaleout.sh [--short] [--release]
#
# 1. the replicas answer byte-identical bodies and identical ETags, asked directly and through nginx;
# 2. a new catalog imported into each replica's database and announced with SIGHUP is served
#    by all of them, identically;
# 3. under load (wrk) through nginx, one replica is killed (SIGKILL): no client request fails,
#    because nginx retries idempotent requests on the next replica. The one exception is a
#    response the replica was still writing when it died: nginx has already sent its first bytes
#    to the client, so it can only close that connection. Each such cut is logged by nginx
#    ("... while reading upstream", naming the killed replica); the client failures must not
#    outnumber those lines.
#
# --short (CI) loads for 6 s; the default for 20 s. Installs nginx and wrk (Debian) when missing.
# Every process it starts is stopped on exit; it only talks to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

duration=20
profile=debug
for arg in "$@"; do
    case "$arg" in
        --short) duration=6 ;;
        --release) profile=release ;;
        *) echo "usage: ops/scaleout.sh [--short] [--release]" >&2; exit 2 ;;
    esac
done

say() { printf '[scaleout] %s\n' "$*"; }
fail() { printf '[scaleout] FAIL: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

if [ -n "${POWERSKILLS_BIN:-}" ]; then
    bin=$POWERSKILLS_BIN
else
    flag=(); [ "$profile" = release ] && flag=(--release)
    cargo build --locked --quiet --bin powerskills "${flag[@]}"
    bin="${CARGO_TARGET_DIR:-$repo/target}/$profile/powerskills"
fi
[ -x "$bin" ] || fail "no binary at $bin"

# --- processes, cleaned up on any exit (nginx runs in the foreground: its pid is in `pids`) -------
work=$(mktemp -d /tmp/powerskills-scaleout.XXXXXX)
pids=()
cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ $status -ne 0 ]; then
        say "logs kept in $work"
    else
        rm -rf "$work"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Polls `url` until it answers 200 (bounded).
wait_ready() {
    local url=$1
    for _ in $(seq 300); do
        curl -sf -o /dev/null --max-time 1 "$url" && return 0
        sleep 0.1
    done
    fail "$url not ready after 30 s"
}

# --- three replicas ----------------------------------------------------------------------------
replicas=3
ports=()
for i in $(seq 1 $replicas); do
    port=$(free_port)
    "$bin" serve --bind "127.0.0.1:$port" --database-url "sqlite://$work/replica$i.db" --workers 1 \
        --reload-interval 0 --log-format json --log-level 'info,powerskills::access=off' \
        2>"$work/replica$i.log" &
    pids+=($!)
    replica_pids[i]=$!
    ports[i]=$port
done
for i in $(seq 1 $replicas); do wait_ready "http://127.0.0.1:${ports[$i]}/readyz"; done
say "replicas ready on ports ${ports[*]} ($bin)"

# --- nginx -------------------------------------------------------------------------------------
lb_port=$(free_port)
mkdir -p "$work/nginx"
{
    echo "worker_processes 1;"
    echo "pid $work/nginx.pid;"
    echo "error_log $work/nginx-error.log warn;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "    include $repo/ops/nginx/request-id.conf;"
    echo "    access_log $work/nginx-access.log powerskills;"
    echo "    client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;"
    echo "    fastcgi_temp_path $work/nginx/fastcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;"
    echo "    upstream powerskills {"
    for i in $(seq 1 $replicas); do echo "        server 127.0.0.1:${ports[$i]} max_fails=1 fail_timeout=10s;"; done
    echo "        keepalive 32;"
    echo "    }"
    echo "    server {"
    echo "        listen 127.0.0.1:$lb_port;"
    echo "        location / { include $repo/ops/nginx/proxy.conf; }"
    echo "    }"
    echo "}"
} >"$work/nginx.conf"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx.conf" -g 'daemon off;' 2>>"$work/nginx-error.log" &
pids+=($!)
lb="http://127.0.0.1:$lb_port"
wait_ready "$lb/readyz"
say "nginx ready on port $lb_port"

# --- identical answers ---------------------------------------------------------------------------
paths=(
    "/" "/categories" "/categories/ai" "/skills" "/skills?limit=3&offset=3" "/skills?category=ai,blockchain"
    "/skills/nlp" "/skills?q=machne%20lerning" "/search?q=blockchain" "/skills/autocomplete?q=mach"
    "/faqs" "/faqs/1" "/openapi.json" "/skills/no-such-skill"
)

# "<status> <etag> <sha256 of the body>" of GET base+path.
fingerprint() {
    local headers body status etag
    headers=$(mktemp -p "$work") body=$(mktemp -p "$work")
    # A fixed request id: problem bodies carry it, and it must pass through nginx unchanged.
    status=$(curl -s -o "$body" -D "$headers" -w '%{http_code}' --max-time 5 -H 'X-Request-Id: scaleout-1' "$1$2")
    etag=$(grep -i '^etag:' "$headers" | tr -d '\r' | cut -d' ' -f2)
    echo "$status ${etag:-none} $(sha256sum <"$body" | cut -c1-64)"
    rm -f "$headers" "$body"
}

check_identical() {
    local path reference got i
    for path in "${paths[@]}"; do
        reference=$(fingerprint "$lb" "$path")
        for i in $(seq 1 $replicas); do
            got=$(fingerprint "http://127.0.0.1:${ports[$i]}" "$path")
            [ "$got" = "$reference" ] || fail "GET $path: replica $i answered '$got', nginx '$reference'"
        done
    done
    # POST (not cached, not retried): the same answer everywhere too.
    local text='{"text": "Hiring an ML engineer with SEO and smart contracts experience"}'
    reference=$(curl -s --max-time 5 -H 'content-type: application/json' -d "$text" "$lb/skills/extract" | sha256sum)
    for i in $(seq 1 $replicas); do
        got=$(curl -s --max-time 5 -H 'content-type: application/json' -d "$text" \
            "http://127.0.0.1:${ports[$i]}/skills/extract" | sha256sum)
        [ "$got" = "$reference" ] || fail "POST /skills/extract: replica $i differs"
    done
    say "$(( ${#paths[@]} + 1 )) requests: byte-identical bodies, statuses and ETags on every replica and through nginx ($1)"
}

version_of() { curl -sf --max-time 5 "$1/readyz" | sed -n 's/.*"catalog_version":"\([^"]*\)".*/\1/p'; }

check_identical "seed catalog $(version_of "$lb")"

# --- a new catalog, rolled out live --------------------------------------------------------------
for i in $(seq 1 $replicas); do
    "$bin" import esco --skills tests/fixtures/esco/esco_skills_sample.csv \
        --groups tests/fixtures/esco/esco_skill_groups.csv --database-url "sqlite://$work/replica$i.db" >/dev/null
    kill -HUP "${replica_pids[$i]}"
done
new_version=
for i in $(seq 1 $replicas); do
    for _ in $(seq 300); do
        v=$(version_of "http://127.0.0.1:${ports[$i]}")
        case "$v" in esco-*) break ;; esac
        sleep 0.1
    done
    case "$v" in esco-*) ;; *) fail "replica $i still serves '$v' 30 s after SIGHUP" ;; esac
    [ -z "$new_version" ] || [ "$v" = "$new_version" ] || fail "replica $i serves $v, another $new_version"
    new_version=$v
done
paths=("/" "/categories" "/categories/s4-5-0" "/skills" "/skills?category=t4&limit=100" "/skills/manage-musical-staff"
    "/skills?q=music" "/search?q=staff" "/skills/autocomplete?q=mana" "/faqs" "/openapi.json")
check_identical "after SIGHUP, catalog $new_version"

# --- one replica killed under load ------------------------------------------------------------------
cat >"$work/paths.lua" <<'EOF'
local paths = {"/", "/categories", "/skills", "/skills?limit=100", "/skills/manage-musical-staff",
               "/skills?q=music", "/search?q=staff", "/skills/autocomplete?q=mana", "/readyz"}
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT requests=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
        summary.requests, e.connect, e.read, e.write, e.timeout, e.status))
end
EOF
victim=2
say "load through nginx for ${duration} s (wrk, 8 connections); replica $victim is killed after $((duration / 3)) s"
log_before=$(wc -l <"$work/nginx-access.log")
wrk -t 1 -c 8 -d "${duration}s" --timeout 5s -s "$work/paths.lua" "$lb" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
sleep $((duration / 3))  # not a readiness wait: the kill must land while the load runs
{ kill -KILL "${replica_pids[$victim]}" && wait "${replica_pids[$victim]}"; } 2>/dev/null || true
killed_at=$(date +%s.%N)
wait "$wrk_pid" || fail "wrk failed: $(cat "$work/wrk.txt")"
result=$(grep '^RESULT' "$work/wrk.txt") || fail "no wrk result: $(cat "$work/wrk.txt")"
say "wrk: $result; $(grep -E 'Requests/sec' "$work/wrk.txt" | tr -s ' ')"
read -r requests errors <<<"$(echo "$result" | awk '{
    n = 0; total = 0
    for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "requests") n = kv[2]; else total += kv[2] }
    print n, total }')"
[ "$requests" -gt 0 ] || fail "no request was made"
# A response cut mid-body by the kill cannot be retried (nginx has started the answer); nginx
# logs each as "... while reading upstream" with the victim's address. Any other failure fails.
cut=$(grep -E "while reading upstream,.*upstream: \"http://127\.0\.0\.1:${ports[$victim]}/" \
    "$work/nginx-error.log" | grep -vc 'while reading response header' || true)
if [ "$errors" -gt "$cut" ]; then
    echo "[scaleout] nginx's error log:" >&2
    tail -n 40 "$work/nginx-error.log" >&2
    fail "$errors client requests failed ($cut cut mid-response by the kill): $result"
fi

# From nginx's log of the load: every replica served (the victim before the kill), every answer
# was a 200, and the requests that met the dead replica were retried on another.
tail -n +"$((log_before + 1))" "$work/nginx-access.log" >"$work/load-access.log"
victim_addr="127.0.0.1:${ports[$victim]}"
retried=$(grep -c "\"upstream\":\"$victim_addr, " "$work/load-access.log" || true)
for i in $(seq 1 $replicas); do
    n=$(grep -c "\"upstream\":\"127.0.0.1:${ports[$i]}\"" "$work/load-access.log" || true)
    [ "$n" -gt 0 ] || fail "replica $i served no request"
    say "replica $i (port ${ports[$i]}) answered $n requests through nginx"
done
# 499: wrk hung up on the requests still open when its time ran out; not an answer.
answered=$(grep -c '"status":200' "$work/load-access.log" || true)
total=$(grep -vc '"status":499' "$work/load-access.log" || true)
[ "$answered" -eq "$total" ] || fail "nginx answered $((total - answered)) of $total requests with a non-200 status"
say "killed replica $victim at $(date -d "@$killed_at" +%T); $retried requests retried on another replica; $errors of $requests failed, each a response cut mid-body by the kill ($cut cut)"
say "PASS"
