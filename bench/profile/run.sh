#!/usr/bin/env bash
# Data profiling throughput (issue 4, point 7): Lathe's profiling of flights_2001_1m (DataProfile.of, as the training profile and
# ML.DESCRIBE_DATA use it; and ML.DESCRIBE_DATA through SQL) against the limit, the raw DataSketches updates of the same values on
# Java arrays. Cold = the first call in a fresh JVM (one JVM per cold figure, REPEATS of each); warm = after WARMUPS calls in one
# JVM, REPEATS interleaved calls. Figures are medians in cells/s (cells = rows x profiled columns). Results: docs/benchmarks.md.
#   bench/profile/run.sh                   # about 2 minutes on 2 cores
#   REPEATS=7 WARMUPS=5 DATASETS=/path bench/profile/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATASETS="${DATASETS:-$ROOT/../shared/datasets}"
REPEATS="${REPEATS:-5}"
WARMUPS="${WARMUPS:-3}"
FLIGHTS="$DATASETS/flights_2001_1m.csv"
[ -f "$FLIGHTS" ] || { echo "bench: $FLIGHTS not found; set DATASETS to the folder holding flights_2001_1m.csv" >&2; exit 1; }
source "$ROOT/bench/common.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-profile-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
bench_compile "$WORK/classes" "$ROOT/bench/Proc.java" "$ROOT/bench/LatheSql.java" "$ROOT/bench/profile/ProfileBench.java"
CP="$WORK/classes:$LIBS"
DATA="$WORK/data"
LOG="$WORK/log.txt"
: > "$LOG"
run() { GLIBC_TUNABLES="$GLIBC_LONG" "$JAVA" "${JOPTS[@]}" -cp "$CP" "$@" 2>&1 | { grep -v '^\[\|^WARNING' || true; } | tee -a "$LOG" | { grep '^RESULT' || true; }; }

echo "bench: $(bench_machine)" >&2
run LatheSql load "$DATA" "CREATE SCHEMA b; LOAD DATA INTO b.flights FROM FILES (format = 'CSV', uris = ['$FLIGHTS']);" > /dev/null
for i in $(seq "$REPEATS"); do # cold runs, interleaved
  for what in limit lathe sql; do
    run ProfileBench "$DATA" b.flights "cold-$what" | tee -a "$WORK/results" | sed "s/^/  run $i: /" >&2
  done
done
echo "bench: warm, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run ProfileBench "$DATA" b.flights warm "$WARMUPS" "$REPEATS" | tee -a "$WORK/results" | sed 's/^/  /' >&2
echo "bench: done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

med() { grep "^RESULT $1 " "$WORK/results" | field "$2" | median; } # med <name> <key>
rate() { awk -v r="$1" 'BEGIN { printf "%.1fM", r / 1e6 }'; }
CELLS="$(grep '^RESULT cold_lathe ' "$WORK/results" | field cells | head -n 1)"
cat <<TABLE

Data profiling throughput, flights_2001_1m ($CELLS cells; median of $REPEATS; cells/s, ms in brackets)
| | limit (raw DataSketches on arrays) | Lathe DataProfile.of (table) | Lathe/limit | ML.DESCRIBE_DATA via SQL | SQL/limit |
|---|---|---|---|---|---|
| cold | $(rate "$(med cold_limit cells_per_s)") ($(med cold_limit ms)) | $(rate "$(med cold_lathe cells_per_s)") ($(med cold_lathe ms)) | $(ratio "$(med cold_lathe cells_per_s)" "$(med cold_limit cells_per_s)") | $(rate "$(med cold_sql cells_per_s)") ($(med cold_sql ms)) | $(ratio "$(med cold_sql cells_per_s)" "$(med cold_limit cells_per_s)") |
| warm | $(rate "$(med warm_limit cells_per_s)") ($(med warm_limit ms)) | $(rate "$(med warm_lathe cells_per_s)") ($(med warm_lathe ms)) | $(ratio "$(med warm_lathe cells_per_s)" "$(med warm_limit cells_per_s)") | $(rate "$(med warm_sql cells_per_s)") ($(med warm_sql ms)) | $(ratio "$(med warm_sql cells_per_s)" "$(med warm_limit cells_per_s)") |
| warm, numeric columns only | $(rate "$(med warm_limit_numeric cells_per_s)") ($(med warm_limit_numeric ms)) | $(rate "$(med warm_lathe_numeric cells_per_s)") ($(med warm_lathe_numeric ms)) | $(ratio "$(med warm_lathe_numeric cells_per_s)" "$(med warm_limit_numeric cells_per_s)") | | |

Lathe warm, where the time goes (ms): every column read out of DuckDB into batches $(med warm_read_all ms), the numeric columns alone $(med warm_read_numbers ms), the categorical columns' profile (counted in DuckDB) $(med warm_categories ms)
Limit per sketch, warm, ns per value: KLL $(med warm_parts kll_ns), HLL of a number $(med warm_parts hll_number_ns), frequent items $(med warm_parts items_ns), HLL of a string $(med warm_parts hll_string_ns)
TABLE
grep -E '^  [0-9]+ rows' "$LOG" | head -n 1
if [ -n "${BENCH_LOG:-}" ]; then cp "$LOG" "$BENCH_LOG"; fi
