#!/usr/bin/env bash
# One-shot CREATE MODEL against the direct call's first run, alternating pair by pair (issue 2, point 9): the quick check
# of a change to the one-shot rows of bench/run.sh, without its warm, same-JVM and ML.PREDICT parts. Each pair runs
# `./lathe sql -e "CREATE OR REPLACE MODEL ..."` (the launcher, as a user runs it; the statement's wall time from its
# manifest, as bench/run.sh reads it) and then the peer in a fresh JVM with the settings the launcher gives short
# commands (SHORT_OPTS). Prints each pair and the medians; the ratio is the median of the pairs' ratios.
#   bench/pairs.sh                 # 8 pairs of the BOOSTED_TREE_REGRESSOR statement on 1M flights rows
#   MODEL=logistic PAIRS=12 bench/pairs.sh   # LOGISTIC_REG on Adult against LogisticRegressionFamily.train alone
# The direct XGBoost call's first run is bimodal on a 2-core host (docs/benchmarks.md, run 14): look at the pairs, not
# only the medians. Results: docs/benchmarks.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATASETS="${DATASETS:-$ROOT/../shared/datasets}"
PAIRS="${PAIRS:-8}"
MODEL="${MODEL:-tree}"
case "$MODEL" in
  tree) CSV="$DATASETS/flights_2001_1m.csv" ;;
  logistic) CSV="$DATASETS/adult_train.csv" ;;
  *) echo "bench: MODEL must be tree or logistic, not '$MODEL'" >&2; exit 2 ;;
esac
[ -f "$CSV" ] || { echo "bench: $CSV not found; set DATASETS to the folder holding it" >&2; exit 1; }

source "$ROOT/bench/common.sh"

bench_work lathe-pairs

echo "bench: $(bench_machine), $PAIRS pairs of $MODEL" >&2
"$ROOT/lathe" --data-dir "$DATA" sql -e "CREATE SCHEMA b; LOAD DATA INTO b.t FROM FILES (format = 'CSV', uris = ['$CSV']);" > /dev/null
if [ "$MODEL" = tree ]; then
  SQL="CREATE OR REPLACE MODEL b.m OPTIONS (model_type = 'BOOSTED_TREE_REGRESSOR', input_label_cols = ['delay']) AS SELECT * FROM b.t"
else
  SQL="CREATE OR REPLACE MODEL b.m OPTIONS (model_type = 'LOGISTIC_REG', input_label_cols = ['income']) AS SELECT * FROM b.t"
fi
"$ROOT/lathe" --data-dir "$DATA" sql -e "$SQL" > /dev/null 2>&1 # the model's folder and registry row exist from here on
if [ "$MODEL" = tree ]; then
  ROUNDS="$("$ROOT/lathe" --data-dir "$DATA" sql --format csv -e "SELECT count(*) FROM ML.TRAINING_INFO(MODEL b.m)" | tail -n 1 | tr -d '\r')"
  bench_run PrepFlights "$CSV" "$WORK/flights.bin" > /dev/null
fi

: > "$WORK/pairs"
for pair in $(seq "$PAIRS"); do
  "$ROOT/lathe" --data-dir "$DATA" sql -e "$SQL" >> "$LOG" 2>&1
  lathe_ms="$(bench_run ModelTimes lathe "$DATA/models/b/m" -1 | field wall_ms)"
  if [ "$MODEL" = tree ]; then
    peer_ms="$(SHORT=1 bench_run DirectXgboost train "$WORK/flights.bin" "$ROUNDS" "$WORK/direct.ubj" 1 | field wall_ms)"
  else
    peer_ms="$(SHORT=1 bench_run DirectLogistic "$CSV" income 1 | field wall_ms)"
  fi
  echo "$lathe_ms $peer_ms" >> "$WORK/pairs"
  echo "  pair $pair: Lathe $lathe_ms ms, peer $peer_ms ms, ratio $(ratio "$lathe_ms" "$peer_ms")" >&2
done
echo "$MODEL one-shot, $PAIRS pairs: Lathe median $(cut -d' ' -f1 "$WORK/pairs" | median) ms," \
  "peer median $(cut -d' ' -f2 "$WORK/pairs" | median) ms," \
  "ratio median $(awk '{ printf "%.4f\n", $1 / $2 }' "$WORK/pairs" | median | awk '{ printf "%.2f", $1 }') (goal <= 1.3)"
