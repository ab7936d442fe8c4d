#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 600), one after the other (the machine is
# shared: never in parallel), and prints each run's executions. Not part of CI.
#
#   bash fuzz/run.sh 600            # needs: cargo install cargo-fuzz --locked
#   bash fuzz/run.sh 60 extract     # one target
#
# RUSTC_BOOTSTRAP=1 lets the stable toolchain take the nightly-only flags cargo-fuzz passes.
# Crash inputs land in fuzz/artifacts/<target>/; commit each one under fuzz/regressions/<target>/
# (replayed first by this script) and as a unit test next to the code it broke.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(extract search_input query_string)
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$PWD/target"
# Safe Rust throughout: no sanitizer (ASan would only slow each execution down).
SANITIZER=${SANITIZER:-none}
cargo fuzz build --sanitizer "$SANITIZER"
for target in "${TARGETS[@]}"; do
    # Every crash input found so far must pass first (regression tests).
    if compgen -G "regressions/$target/*" >/dev/null; then
        cargo fuzz run --sanitizer "$SANITIZER" "$target" regressions/"$target"/* 2>&1 |
            grep -E "^Executed|panicked|deadly" || true
    fi
    mkdir -p "corpus/$target"
    echo "=== $target for ${SECONDS_EACH}s"
    cargo fuzz run --sanitizer "$SANITIZER" "$target" "corpus/$target" -- \
        -max_total_time="$SECONDS_EACH" -max_len=4096 -print_final_stats=1 2>&1 |
        tee "target/$target.log" | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done|==|SUMMARY|INFO: Running)|panicked|Crash|crash-" || true
done
