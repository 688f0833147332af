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
source "$ROOT/bench/common.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-monitor-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
bench_compile "$WORK/classes" "$ROOT/bench/monitoring/MonitorWindow.java"
GLIBC_TUNABLES="$GLIBC_LONG" "$JAVA" "${JOPTS[@]}" -Xmx"$HEAP" \
  -cp "$WORK/classes:$LIBS" MonitorWindow "$WORK/data" "$ROOT/src/main/resources/dev/lathe/samples/penguins.csv" "$ROWS" "$PER_ROW" \
  "$([ -n "${ATTRIBUTIONS:-}" ] && echo attributions || echo none)" 2>&1 | grep -v '^\[\|^WARNING'
