#!/usr/bin/env bash
# Lathe vs direct calls (issue 2, point 9). Each measured thing runs in its own JVM; timings are the
# median of REPEATS runs; peak memory is the process's VmHWM. Results: docs/benchmarks.md.
#   bench/run.sh                    # everything (about 15 minutes on 2 cores)
#   REPEATS=3 DATASETS=/path bench/run.sh
#   ONLY=predict bench/run.sh       # ML.PREDICT only (the model and the peer's booster are made once, untimed)
#   WARM_REPEATS=10 bench/run.sh    # statements per JVM for the warm ML.PREDICT and LOGISTIC_REG figures (default 10)
#   WARM_CREATE=6 bench/run.sh      # CREATE MODELs per JVM for the warm tree figures (default 6)
#   SAME_JVM=10 bench/run.sh        # rounds of tree CREATE MODEL and the direct call alternating in one JVM (0: skip)
#   SAME_JVM_LR=40 bench/run.sh     # the same for LOGISTIC_REG (0: skip)
# "Warm" runs the same statement again in one JVM, as a running `lathe server` (which `lathe sql` uses when one runs)
# or an open `lathe sql` session does: the median of statements 2..N, with the peers repeated in one JVM alike.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATASETS="${DATASETS:-$ROOT/../shared/datasets}"
# Five rounds by default: the direct XGBoost call's first run in a fresh JVM is bimodal on a 2-core host (docs/benchmarks.md,
# run 14), and a median of three rounds then depends on which mode two of them hit.
REPEATS="${REPEATS:-5}"
WARM_REPEATS="${WARM_REPEATS:-10}"
WARM_CREATE="${WARM_CREATE:-6}"
SAME_JVM="${SAME_JVM:-10}"
SAME_JVM_LR="${SAME_JVM_LR:-40}"
ONLY="${ONLY:-}"
FLIGHTS="$DATASETS/flights_2001_1m.csv"
ADULT="$DATASETS/adult_train.csv"
for f in "$FLIGHTS" "$ADULT"; do
  [ -f "$f" ] || { echo "bench: $f not found; set DATASETS to the folder holding flights_2001_1m.csv and adult_train.csv" >&2; exit 1; }
done

source "$ROOT/bench/common.sh"

bench_work lathe-bench

# measure and create run REPEATS times in a row; with RUNS=1 APPEND=1 they run once and add to what the label holds,
# which the interleaved sections below use so that Lathe and its peer alternate (this host's speed drifts by tens of
# per cent over minutes; ratios of neighbouring runs are steadier than ratios of medians taken minutes apart).
measure() { # measure <label> <java main> <args...>: REPEATS runs; keeps every RESULT line in $WORK/<label>
  local label="$1"; shift
  [ -n "${APPEND:-}" ] || : > "$WORK/$label"
  for i in $(seq "${RUNS:-$REPEATS}"); do
    local line; line="$(bench_run "$@")"
    echo "  $label run $i: ${line#RESULT }" >&2
    echo "$line" >> "$WORK/$label"
  done
}
med() { field "$2" < "$WORK/$1" | median; } # med <label> <field>
# pair_ratio <label a> <field a> <label b> <field b>: the median over rounds of a/b, run i of a against run i of b
pair_ratio() {
  paste <(field "$2" < "$WORK/$1") <(field "$4" < "$WORK/$3") | awk '$2 > 0 { print $1 / $2 }' | median | awk '{ printf "%.2f", $1 }'
}
# create <label> <dataset/model> <sql>: REPEATS runs of `./lathe sql -e <sql>`, exactly as a user runs CREATE MODEL (the
# launcher's JVM options and, on JDK 25+, its AOT cache; LATHE_AOT=off measures without). The statement's wall time and
# phases come from the new version's manifest, the process's peak RSS from GNU time where installed.
create() {
  local label="$1" model="$2" sql="$3"
  [ -n "${APPEND:-}" ] || : > "$WORK/$label"
  for i in $(seq "${RUNS:-$REPEATS}"); do
    local peak=-1 timer=()
    [ ! -x /usr/bin/time ] || timer=(/usr/bin/time -f %M -o "$WORK/peak")
    "${timer[@]}" env JAVA_HOME="$JAVA_HOME" LATHE_BUILD_DIR="$BUILD_DIR" "$ROOT/lathe" --data-dir "$DATA" sql -e "$sql" >> "$LOG" 2>&1
    [ ${#timer[@]} -eq 0 ] || peak="$(tail -n 1 "$WORK/peak")"
    local line; line="$(bench_run ModelTimes "$label" "$DATA/models/$model" "$peak")"
    echo "  $label run $i: ${line#RESULT }" >&2
    echo "$line" >> "$WORK/$label"
  done
}

echo "bench: $(bench_machine), data dir $DATA" >&2

echo "bench: loading the CSVs into the warehouse (LOAD DATA, timed separately)" >&2
bench_run LatheSql load "$DATA" "CREATE SCHEMA b;
LOAD DATA INTO b.flights FROM FILES (format = 'CSV', uris = ['$FLIGHTS']);
LOAD DATA INTO b.adult FROM FILES (format = 'CSV', uris = ['$ADULT']);" > "$WORK/load"

TREE_SQL="CREATE OR REPLACE MODEL b.delay OPTIONS (model_type = 'BOOSTED_TREE_REGRESSOR', input_label_cols = ['delay']) AS SELECT * FROM b.flights"
INFO_SQL="SELECT count(*) AS rounds, arg_max(loss, iteration) AS last_loss FROM ML.TRAINING_INFO(MODEL b.delay)"
if [ "$ONLY" = predict ]; then
  echo "bench: the model and the peer's booster for ML.PREDICT (untimed)" >&2
  bench_run LatheSql lathe_tree "$DATA" "$TREE_SQL" "$INFO_SQL" > /dev/null
  ROUNDS="$(sed -n 's/.*ROW rounds=\([0-9]*\).*/\1/p' "$LOG" | tail -n 1)"
  bench_run PrepFlights "$FLIGHTS" "$WORK/flights.bin" > /dev/null
  bench_run DirectXgboost train "$WORK/flights.bin" "$ROUNDS" "$WORK/direct.ubj" > /dev/null
else
  AOT_NOTE="JDK $JAVA_MAJOR, launcher AOT cache $([ "${JAVA_MAJOR:-0}" -ge 25 ] && [ "${LATHE_AOT:-on}" != off ] && [ -f "$BUILD_DIR/lathe.aot" ] && echo on || echo off)"
  echo "bench: 1. CREATE MODEL BOOSTED_TREE_REGRESSOR on 1M flights, $REPEATS rounds of: Lathe through ./lathe sql -e ($AOT_NOTE);" \
    "the direct XGBoost4J call ($WARM_CREATE runs in one JVM); Lathe warm ($WARM_CREATE statements in one JVM)" >&2
  for f in lathe_tree direct_tree direct_tree_first lathe_tree_warm; do : > "$WORK/$f"; done
  for round in $(seq "$REPEATS"); do
    RUNS=1 APPEND=1 create lathe_tree b/delay "$TREE_SQL"
    if [ "$round" = 1 ]; then
      ROUNDS="$(sed -n 's/.*ROW rounds=\([0-9]*\).*/\1/p' "$LOG" | tail -n 1)"
      grep 'ROW rounds=' "$LOG" | tail -n 1 >&2
      bench_run PrepFlights "$FLIGHTS" "$WORK/flights.bin" > /dev/null
      grep '  prepared' "$LOG" >&2
    fi
    # The peer's first call in a JVM with the settings the launcher gives `lathe sql -e` (SHORT_OPTS), as the one-shot
    # statement has.
    SHORT=1 RUNS=1 APPEND=1 measure direct_tree_first DirectXgboost train "$WORK/flights.bin" "$ROUNDS" "$WORK/direct.ubj" 1
    RUNS=1 APPEND=1 measure direct_tree DirectXgboost train "$WORK/flights.bin" "$ROUNDS" "$WORK/direct.ubj" "$WARM_CREATE"
    RUNS=1 APPEND=1 measure lathe_tree_warm LatheWarm lathe_tree_warm "$DATA" "$WARM_CREATE" "$TREE_SQL"
  done
  grep 'direct: ' "$LOG" | tail -n 1 >&2
  if [ "$SAME_JVM" -gt 0 ]; then
    echo "bench: 1b. CREATE MODEL BOOSTED_TREE_REGRESSOR and the direct call alternating in one JVM, $SAME_JVM rounds" >&2
    bench_run SameJvm tree "$DATA" "$WORK/flights.bin" "$SAME_JVM" "$TREE_SQL" > "$WORK/same_jvm"
    grep '  tree round ' "$LOG" | tail -n "$SAME_JVM" >&2
  fi

  LR_SQL="CREATE OR REPLACE MODEL b.income OPTIONS (model_type = 'LOGISTIC_REG', input_label_cols = ['income']) AS SELECT * FROM b.adult"
  echo "bench: 2. CREATE MODEL LOGISTIC_REG on Adult, $REPEATS rounds of: Lathe through ./lathe sql -e;" \
    "LogisticRegressionFamily.train alone ($WARM_REPEATS runs in one JVM); Lathe warm ($WARM_REPEATS statements in one JVM)" >&2
  for f in lathe_lr direct_lr direct_lr_first lathe_lr_warm; do : > "$WORK/$f"; done
  for round in $(seq "$REPEATS"); do
    RUNS=1 APPEND=1 create lathe_lr b/income "$LR_SQL"
    SHORT=1 RUNS=1 APPEND=1 measure direct_lr_first DirectLogistic "$ADULT" income 1
    RUNS=1 APPEND=1 measure direct_lr DirectLogistic "$ADULT" income "$WARM_REPEATS"
    RUNS=1 APPEND=1 measure lathe_lr_warm LatheWarm lathe_lr_warm "$DATA" "$WARM_REPEATS" "$LR_SQL"
  done
  grep 'ROW rounds=' "$LOG" | tail -n 1 >&2
  if [ "$SAME_JVM_LR" -gt 0 ]; then
    echo "bench: 2b. CREATE MODEL LOGISTIC_REG and LogisticRegressionFamily.train alternating in one JVM, $SAME_JVM_LR rounds" >&2
    bench_run SameJvm logistic "$DATA" "$ADULT" "$SAME_JVM_LR" "$LR_SQL" > "$WORK/same_jvm_lr"
    grep '  logistic round ' "$LOG" | tail -n 3 >&2
  fi
fi

echo "bench: 3. ML.PREDICT over 1M rows, $REPEATS rounds of: inside DuckDB and the batch path (one statement per JVM)," \
  "warm ($WARM_REPEATS statements in one JVM), and DMatrix + Booster.predict ($WARM_REPEATS runs in one JVM)" >&2
PREDICT_SQL="SELECT count(*) AS n, sum(predicted_delay) AS total FROM ML.PREDICT(MODEL b.delay, TABLE b.flights)"
for f in lathe_predict lathe_predict_batch lathe_predict_warm direct_predict; do : > "$WORK/$f"; done
for round in $(seq "$REPEATS"); do
  # One statement per JVM, with the settings the launcher gives `lathe sql -e`.
  SHORT=1 RUNS=1 APPEND=1 measure lathe_predict LatheSql lathe_predict "$DATA" "$PREDICT_SQL"
  # The read, predict, write-back and POSITIONAL JOIN path ML.PREDICT took before it ran inside DuckDB.
  SHORT=1 RUNS=1 APPEND=1 measure lathe_predict_batch -Dlathe.predict.udf=false LatheSql lathe_predict_batch "$DATA" "$PREDICT_SQL"
  RUNS=1 APPEND=1 measure lathe_predict_warm LatheWarm lathe_predict_warm "$DATA" "$WARM_REPEATS" "$PREDICT_SQL"
  RUNS=1 APPEND=1 measure direct_predict DirectXgboost predict "$WORK/flights.bin" "$WORK/direct.ubj" "$WARM_REPEATS"
done

rps() { awk -v n=1000000 -v ms="$1" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
LP=$(med lathe_predict wall_ms); LB=$(med lathe_predict_batch wall_ms); DP=$(med direct_predict wall_ms); DPO=$(med direct_predict predict_ms)
LW=$(med lathe_predict_warm warm_ms); DW=$(med direct_predict warm_ms)
PREDICT_ROWS="| ML.PREDICT 1M flights, warm: median of statements 2..$WARM_REPEATS in one JVM (rows/s) | $(rps "$LW") ($LW ms; CPU $(med lathe_predict_warm warm_cpu_ms) ms) | $(med lathe_predict_warm peak_rss_mb) | DMatrix + Booster.predict, warm | $(rps "$DW") ($DW ms) | $(med direct_predict peak_rss_mb) | $(pair_ratio direct_predict warm_ms lathe_predict_warm warm_ms) (throughput) | >= 0.8 |
| ML.PREDICT 1M flights, inside DuckDB, one statement in a fresh JVM (model load and JIT included) | $(rps "$LP") ($LP ms) | $(med lathe_predict peak_rss_mb) | DMatrix + Booster.predict, first call | $(rps "$DP") ($DP ms; predict alone $(rps "$DPO")) | $(med direct_predict peak_rss_mb) | $(pair_ratio direct_predict wall_ms lathe_predict wall_ms) (throughput) | |
| ML.PREDICT 1M flights, batch path (-Dlathe.predict.udf=false), fresh JVM | $(rps "$LB") ($LB ms) | $(med lathe_predict_batch peak_rss_mb) | DMatrix + Booster.predict, first call | $(rps "$DP") ($DP ms) | $(med direct_predict peak_rss_mb) | $(pair_ratio direct_predict wall_ms lathe_predict_batch wall_ms) (throughput) | |"
if [ "$ONLY" = predict ]; then
  cat <<TABLE

ML.PREDICT vs direct (times: median of $REPEATS rounds; ratio: median over rounds of the ratio within a round; wall ms
exclude JVM start and engine open)
| benchmark | Lathe ms | Lathe peak RSS MB | peer | peer ms | peer peak RSS MB | peer/Lathe | goal |
|---|---|---|---|---|---|---|---|
$PREDICT_ROWS
TABLE
  echo "direct predict: DMatrix $(med direct_predict dmatrix_ms) ms, predict $DPO ms; Lathe's first warm-series statement $(med lathe_predict_warm first_ms) ms"
else
LT=$(med lathe_tree wall_ms); DT=$(med direct_tree_first wall_ms)
LL=$(med lathe_lr wall_ms); DL=$(med direct_lr_first wall_ms)
JIT_NOTE="the JVM settings the launcher gives sql -e: $(printf '%s ' "${SHORT_OPTS[@]}" | grep -q TieredStopAtLevel=1 && echo "C1 only" || echo "both compilers"), huge pages $(printf '%s ' "${SHORT_OPTS[@]}" | grep -q UseTransparentHugePages && echo on || echo off)"
cat <<TABLE

Lathe vs direct (times: median of $REPEATS rounds; ratio: median over rounds of the ratio within a round, Lathe and
its peer running next to each other; wall ms exclude JVM start and engine open; CREATE MODEL through
./lathe sql -e, $AOT_NOTE, its wall ms from the manifest's start to the stored version)
| benchmark | Lathe ms | Lathe peak RSS MB | peer | peer ms | peer peak RSS MB | Lathe/peer | goal |
|---|---|---|---|---|---|---|---|
| CREATE MODEL BOOSTED_TREE_REGRESSOR, 1M flights, $ROUNDS rounds | $LT | $(med lathe_tree peak_rss_mb) | XGBoost4J DMatrix + train, first call ($JIT_NOTE) | $DT | $(med direct_tree_first peak_rss_mb) | $(pair_ratio lathe_tree wall_ms direct_tree_first wall_ms) | <= 1.3 |
| CREATE MODEL LOGISTIC_REG, Adult | $LL | $(med lathe_lr peak_rss_mb) | LogisticRegressionFamily.train only, first call ($JIT_NOTE) | $DL | $(med direct_lr_first peak_rss_mb) | $(pair_ratio lathe_lr wall_ms direct_lr_first wall_ms) | <= 1.3 |
| warm: CREATE MODEL BOOSTED_TREE_REGRESSOR, median of statements 2..$WARM_CREATE in one JVM | $(med lathe_tree_warm warm_ms) | $(med lathe_tree_warm peak_rss_mb) | DMatrix + train, runs 2..$WARM_CREATE in one JVM | $(med direct_tree warm_ms) | $(med direct_tree peak_rss_mb) | $(pair_ratio lathe_tree_warm warm_ms direct_tree warm_ms) | <= 1.3 |
| warm: CREATE MODEL LOGISTIC_REG, median of statements 2..$WARM_REPEATS in one JVM | $(med lathe_lr_warm warm_ms) | $(med lathe_lr_warm peak_rss_mb) | train only, runs 2..$WARM_REPEATS in one JVM | $(med direct_lr warm_ms) | $(med direct_lr peak_rss_mb) | $(pair_ratio lathe_lr_warm warm_ms direct_lr warm_ms) | <= 1.3 |
$PREDICT_ROWS

Lathe phases (median ms, manifest timings)
TABLE
for label in lathe_tree lathe_lr lathe_tree_warm lathe_lr_warm; do
  echo "$label: read $(med $label read_ms), preprocess $(med $label preprocess_ms), train $(med $label train_ms), evaluate $(med $label evaluate_ms), rest (SQL, storing) $(awk -v w="$(med $label wall_ms)" -v r="$(med $label read_ms)" -v p="$(med $label preprocess_ms)" -v t="$(med $label train_ms)" -v e="$(med $label evaluate_ms)" 'BEGIN { print w - r - p - t - e }')"
done
if [ -s "$WORK/same_jvm" ]; then
  echo "tree CREATE MODEL and the direct call in one JVM (median of rounds $((SAME_JVM / 2 + 1))..$SAME_JVM): Lathe $(field lathe_ms < "$WORK/same_jvm") ms, direct $(field direct_ms < "$WORK/same_jvm") ms, ratio $(field ratio < "$WORK/same_jvm")"
fi
if [ -s "${WORK}/same_jvm_lr" ]; then
  echo "logistic CREATE MODEL and the direct call in one JVM (median of rounds $((SAME_JVM_LR / 2 + 1))..$SAME_JVM_LR): Lathe $(field lathe_ms < "$WORK/same_jvm_lr") ms, direct $(field direct_ms < "$WORK/same_jvm_lr") ms, ratio $(field ratio < "$WORK/same_jvm_lr")"
fi
echo "LOAD DATA of both CSVs: $(field wall_ms < "$WORK/load") ms"
echo "peers' first calls with both compilers (the warm JVMs' first runs): tree $(med direct_tree wall_ms) ms (Lathe/peer $(pair_ratio lathe_tree wall_ms direct_tree wall_ms)), logistic $(med direct_lr wall_ms) ms (Lathe/peer $(pair_ratio lathe_lr wall_ms direct_lr wall_ms))"
echo "direct tree: DMatrix $(med direct_tree_first dmatrix_ms) ms, train $(med direct_tree_first train_ms) ms; direct predict: DMatrix $(med direct_predict dmatrix_ms) ms, predict $DPO ms"
fi
grep -E 'ROW (rounds|iterations|n)=|direct: ' "$LOG" | sort | uniq -c
if [ -n "${BENCH_LOG:-}" ]; then cp "$LOG" "$BENCH_LOG"; fi
