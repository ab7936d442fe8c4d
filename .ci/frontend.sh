#!/usr/bin/env bash
# CI for API consumers (issue 6): the OpenAPI linters, the typed TypeScript client check, and
# the browser test of Swagger UI and the explorer page. Runs on a clean Debian machine with Rust,
# Node.js >= 20.19 and npm; installs the rest (Debian's chromium, the pinned npm packages) and
# needs no network beyond the apt and npm registries. Screenshots: $CARGO_TARGET_DIR/e2e
# (target/e2e by default), to keep as CI artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# No npm package may download a browser, and no tool may phone home.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1 SCARF_ANALYTICS=false DO_NOT_TRACK=1
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

step() { printf '\n=== %s\n' "$*"; }

step "chromium (Debian)"
if ! [ -x /usr/bin/chromium ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
fi
/usr/bin/chromium --version 2>/dev/null | grep -m1 Chromium

step "node and npm"
node --version
npm --version
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
         if (a < 20 || (a === 20 && b < 19)) { console.error("Node.js >= 20.19 is needed (@redocly/cli)"); process.exit(1); }'

step "npm ci (pinned linters, openapi-typescript + typescript, playwright-core)"
for dir in openapi clients/typescript e2e; do
    # No install scripts: none of these packages needs one, and one (@scarf/scarf) would phone home.
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
done

step "cargo build"
cargo build --locked
target_dir="${CARGO_TARGET_DIR:-target}"
bin="$target_dir/debug/powerskills"

step "openapi/openapi.json is what the code generates"
"$bin" openapi | diff -u openapi/openapi.json - || {
    echo "stale: regenerate with \`cargo run -q -- openapi > openapi/openapi.json\`" >&2
    exit 1
}

step "lint openapi/openapi.json: Spectral (spectral:oas) and Redocly (recommended), no error or warning"
(cd openapi && npm run --silent lint)

step "TypeScript types from the document, and tsc --noEmit over a client using them"
(cd clients/typescript && npm run --silent check)

step "browser test (starts its own servers on free ports, waits on /readyz, stops them)"
POWERSKILLS_BIN="$bin" E2E_ARTIFACTS="$target_dir/e2e" node e2e/browser.mjs
