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
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ]; then JAVA_HOME="$candidate"; break; fi
  done
fi
BUILD_DIR="${LATHE_BUILD_DIR:-$ROOT/target}"
if [ ! -f "$BUILD_DIR/lathe.jar" ] || [ -n "$(find "$ROOT/src/main" -newer "$BUILD_DIR/lathe.jar" -print -quit)" ]; then
  echo "bench: building lathe.jar" >&2
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" LATHE_BUILD_DIR="$BUILD_DIR" ./lathe build)
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-quality-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
LIBS="$BUILD_DIR/lathe.jar:$BUILD_DIR/lib/*"
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" -cp "$LIBS" "$ROOT/bench/Proc.java" "$ROOT/bench/quality/QualityBench.java"
JOPTS=(-Xmx8g --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED)
JAVA_MAJOR="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)"
if [ "${JAVA_MAJOR:-0}" -ge 23 ]; then JOPTS+=(--sun-misc-unsafe-memory-access=allow); fi

echo "bench: $(date -u +%FT%TZ), $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)" >&2
"$JAVA_HOME/bin/java" "${JOPTS[@]}" -cp "$WORK/classes:$LIBS" QualityBench "$WORK/regression" regression "$REQUESTS" 1 "$REPEATS"
"$JAVA_HOME/bin/java" "${JOPTS[@]}" -cp "$WORK/classes:$LIBS" QualityBench "$WORK/classification" classification "$((REQUESTS / 4))" 4 "$REPEATS"
