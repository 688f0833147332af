#!/usr/bin/env bash
# Prediction quality (issue 4, point 4): ML.EVALUATE_PREDICTION_LOG's work (PredictionQuality.evaluate) over a
# synthetic prediction log, 24 one-hour windows, 90 % of instances labelled. Each scenario runs in its own JVM
# on a fresh data directory; timings are per evaluation (the log is built first and not timed). Results:
# docs/benchmarks.md.
#   bench/quality/run.sh                         # 1M single-instance regression requests, 250k 4-instance classification ones
#   REQUESTS=100000 REPEATS=5 bench/quality/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REQUESTS="${REQUESTS:-1000000}"
REPEATS="${REPEATS:-3}"
source "$ROOT/bench/common.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-quality-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
bench_compile "$WORK/classes" "$ROOT/bench/Proc.java" "$ROOT/bench/quality/QualityBench.java"

echo "bench: $(bench_machine)" >&2
GLIBC_TUNABLES="$GLIBC_LONG" "$JAVA" "${JOPTS[@]}" -cp "$WORK/classes:$LIBS" QualityBench "$WORK/regression" regression "$REQUESTS" 1 "$REPEATS"
GLIBC_TUNABLES="$GLIBC_LONG" "$JAVA" "${JOPTS[@]}" -cp "$WORK/classes:$LIBS" QualityBench "$WORK/classification" classification "$((REQUESTS / 4))" 4 "$REPEATS"
