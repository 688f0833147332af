#!/usr/bin/env bash
# One monitoring run over a large window of the prediction log: time and peak heap (docs/benchmarks.md).
#   bench/monitoring/run.sh                       # 200,000 log rows x 5 instances, -Xmx512m
#   ROWS=1000000 PER_ROW=1 HEAP=256m bench/monitoring/run.sh
#   ATTRIBUTIONS=1 bench/monitoring/run.sh         # also FEATURE_ATTRIBUTION_* (1,000 instances explained)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROWS="${ROWS:-200000}"
PER_ROW="${PER_ROW:-5}"
HEAP="${HEAP:-512m}"
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ]; then JAVA_HOME="$candidate"; break; fi
  done
fi
BUILD_DIR="${LATHE_BUILD_DIR:-$ROOT/target}"
if [ ! -f "$BUILD_DIR/lathe.jar" ] || [ -n "$(find "$ROOT/src/main" -newer "$BUILD_DIR/lathe.jar" -print -quit)" ]; then
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" LATHE_BUILD_DIR="$BUILD_DIR" ./lathe build)
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-monitor-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
LIBS="$BUILD_DIR/lathe.jar:$BUILD_DIR/lib/*"
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" -cp "$LIBS" "$ROOT/bench/monitoring/MonitorWindow.java"
"$JAVA_HOME/bin/java" -Xmx"$HEAP" --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$WORK/classes:$LIBS" MonitorWindow "$WORK/data" "$ROOT/src/main/resources/dev/lathe/samples/penguins.csv" "$ROWS" "$PER_ROW" \
  "$([ -n "${ATTRIBUTIONS:-}" ] && echo attributions || echo none)" 2>&1 | grep -v '^\[\|^WARNING'
