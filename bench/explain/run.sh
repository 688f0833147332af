#!/usr/bin/env bash
# TreeSHAP throughput (issue 4, point 7): a 100-tree BOOSTED_TREE_CLASSIFIER trained on UCI Adult, explaining every
# row of TABLE (adult_test by default) (a) with XGBoost4J's predictContrib, (b) with Lathe's Java TreeShap on the
# same float arrays, (c) end to end with ML.EXPLAIN_PREDICT, once in Java and once with -Dlathe.trees.native=false
# (predictContrib inside Lathe). Same JVM flags everywhere. Results: docs/benchmarks.md.
#   bench/explain/run.sh                       # adult_test (16,281 rows), REPEATS=5 calls per measurement
#   REPEATS=9 TABLE=adult_train bench/explain/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPEATS="${REPEATS:-5}"
TABLE="${TABLE:-adult_test}"
DATASETS="${DATASETS:-$ROOT/../shared/datasets}"
ADULT="$DATASETS/adult_train.csv"
ROWS_CSV="$DATASETS/$TABLE.csv"
[ -f "$ADULT" ] && [ -f "$ROWS_CSV" ] || { echo "bench: $ADULT or $ROWS_CSV not found; set DATASETS" >&2; exit 1; }
source "$ROOT/bench/common.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-explain-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
bench_compile "$WORK/classes" "$ROOT/bench/Proc.java" "$ROOT/bench/LatheSql.java" "$ROOT/bench/serving/PredictFloor.java" \
  "$ROOT/bench/explain/ExplainBench.java"
CP="$WORK/classes:$LIBS"
DATA="$WORK/data"
LOG="$WORK/log.txt"
: > "$LOG"

echo "bench: $(bench_machine)" >&2
echo "bench: training b.income (100 trees) on adult_train, loading $TABLE as b.rows" >&2
bench_run LatheSql train "$DATA" "CREATE SCHEMA b;
LOAD DATA INTO b.adult FROM FILES (format = 'CSV', uris = ['$ADULT']);
LOAD DATA INTO b.rows FROM FILES (format = 'CSV', uris = ['$ROWS_CSV']);
CREATE MODEL b.income OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['income'],
  max_iterations = 100, early_stop = FALSE) AS SELECT * FROM b.adult" > /dev/null

echo "bench: (a) predictContrib and (b) TreeShap on the same floats, $REPEATS calls each, interleaved" >&2
bench_run ExplainBench direct "$DATA" "$DATA/models/b/income/1" b.rows "$REPEATS" > /dev/null
grep -E '^(rows|parity|RESULT direct)' "$LOG" >&2
SQL="SELECT count(*) AS n, sum(prediction_value) AS total FROM ML.EXPLAIN_PREDICT(MODEL b.income, TABLE b.rows)"
echo "bench: (c) $SQL, $REPEATS calls in one JVM, Java TreeSHAP then predictContrib" >&2
bench_run ExplainBench sql "$DATA" "$SQL" "$REPEATS" > "$WORK/sql_java"
bench_run -Dlathe.trees.native=false ExplainBench sql "$DATA" "$SQL" "$REPEATS" > "$WORK/sql_xgboost"
grep -E '^(  ROW|RESULT sql)' "$LOG" >&2

N="$(sed -n 's/^rows \([0-9]*\),.*/\1/p' "$LOG")"
rps() { awk -v n="$N" -v ms="$1" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
direct() { field "$2" < <(grep "RESULT direct_t$1 " "$LOG"); } # direct <threads> <field>
echo
echo "TreeSHAP, $N rows of $TABLE, 100-tree BOOSTED_TREE_CLASSIFIER; warm = median of calls 2..$REPEATS"
echo "| threads | XGBoost DMatrix ms | predictContrib ms (first; best) | predictContrib rows/s | Java TreeShap ms (first; best) | Java rows/s | Java/XGBoost throughput | same, in process CPU time |"
echo "|---|---|---|---|---|---|---|---|"
for line in $(grep -o 'RESULT direct_t[0-9]*' "$LOG" | sed 's/RESULT direct_t//'); do
  echo "| $line | $(direct "$line" dmatrix_ms) | $(direct "$line" xgb_ms) ($(direct "$line" xgb_first_ms); $(direct "$line" xgb_best_ms)) | $(direct "$line" xgb_rows_s) | $(direct "$line" java_ms) ($(direct "$line" java_first_ms); $(direct "$line" java_best_ms)) | $(direct "$line" java_rows_s) | $(direct "$line" ratio) | $(direct "$line" cpu_ratio) |"
done
JW="$(field warm_ms < "$WORK/sql_java")"; JF="$(field first_ms < "$WORK/sql_java")"
XW="$(field warm_ms < "$WORK/sql_xgboost")"; XF="$(field first_ms < "$WORK/sql_xgboost")"
echo
echo "| ML.EXPLAIN_PREDICT end to end | warm ms | rows/s | first call ms (model load included) |"
echo "|---|---|---|---|"
echo "| Java TreeSHAP (default) | $JW | $(rps "$JW") | $JF |"
echo "| predictContrib (-Dlathe.trees.native=false) | $XW | $(rps "$XW") | $XF |"
if [ -n "${BENCH_LOG:-}" ]; then cp "$LOG" "$BENCH_LOG"; fi
