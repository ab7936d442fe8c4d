#!/usr/bin/env bash
# A Python client generated from openapi/openapi.json by openapi-python-client (pinned in
# requirements.txt), installed into a venv under target/ and run against a real server by
# smoke.py. The generated code is not committed: it is regenerated here on every run.
#
#   clients/python/run.sh [path/to/powerskills]     (default: target/debug/powerskills)
set -euo pipefail
cd "$(dirname "$0")/../.."
target_dir="${CARGO_TARGET_DIR:-target}"
bin="${1:-$target_dir/debug/powerskills}"
work="$target_dir/clients-python"
venv="$work/venv"

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r clients/python/requirements.txt

# The generator warns that it skips the text/plain body of POST /skills/extract (the JSON body is
# generated); any other warning fails the run.
rm -rf "$work/powerskills-client"
"$venv/bin/openapi-python-client" generate --path openapi/openapi.json --config clients/python/config.yml \
    --output-path "$work/powerskills-client" --meta setup >"$work/generate.log" 2>&1 || {
    cat "$work/generate.log" >&2
    exit 1
}
warnings=$(grep -c '^WARNING' "$work/generate.log" || true)
if [ "$warnings" != 1 ] || ! grep -q '^WARNING parsing POST /skills/extract' "$work/generate.log" \
    || ! grep -q '^Unsupported content type text/plain' "$work/generate.log"; then
    echo "openapi-python-client: unexpected warnings:" >&2
    cat "$work/generate.log" >&2
    exit 1
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "$work/powerskills-client"
"$venv/bin/python" clients/python/smoke.py "$bin"
