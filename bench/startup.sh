#!/usr/bin/env bash
# How long a `lathe` command takes from the shell to exit, against the floor of an empty JVM (docs/benchmarks.md,
# "Command start-up"). Each command runs RUNS times (default 10) through the launcher, exactly as a user types it;
# prints the median and the range of the wall times; also `lathe server` from launch to its first prediction, and
# two commands again while a server runs (they go to it over HTTP).
#   bench/startup.sh
#   BASELINE=/path/to/other/checkout bench/startup.sh   # the same commands through that checkout's launcher too,
#                                                       # alternating run by run (before/after a change)
#   RUNS=20 VERSIONS=200 bench/startup.sh              # VERSIONS: model versions in the data directory (default 150)
# The data directory is a fresh temporary one holding one small table and VERSIONS registered versions of one model,
# as a data directory in use for a while does (every command that opens it reconciles the registry with models/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-10}"
VERSIONS="${VERSIONS:-150}"
BASELINE="${BASELINE:-}"
source "$ROOT/bench/common.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-startup.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT # replaced below, once a server may run
DATA="$WORK/data"
if [ -n "$BASELINE" ]; then
  echo "bench: building the baseline in $BASELINE" >&2
  (cd "$BASELINE" && JAVA_HOME="$JAVA_HOME" ./lathe --version > /dev/null)
fi

echo "bench: a data directory with $VERSIONS versions of one model (untimed)" >&2
{
  echo "CREATE SCHEMA d; CREATE TABLE d.t AS SELECT i::DOUBLE AS x, (2 * i + 1)::DOUBLE AS y FROM range(200) r(i);"
  for _ in $(seq "$VERSIONS"); do
    echo "CREATE OR REPLACE MODEL d.m OPTIONS (model_type = 'LINEAR_REG', input_label_cols = ['y']) AS SELECT * FROM d.t;"
  done
} > "$WORK/setup.sql"
"$ROOT/lathe" --data-dir "$DATA" sql -f "$WORK/setup.sql" > /dev/null

javac_dir="$WORK/empty"
mkdir -p "$javac_dir"
echo 'public class Empty { public static void main(String[] a) {} }' > "$javac_dir/Empty.java"
"$JAVA_HOME/bin/javac" -d "$javac_dir" "$javac_dir/Empty.java"

wall() { # wall <command...>: seconds from start to exit, output discarded
  local start end
  start="$(date +%s.%N)"
  "$@" > /dev/null 2>&1
  end="$(date +%s.%N)"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
summary() { sort -n | awk '{ v[NR] = $1 } END { printf "median %.3f s (%.3f to %.3f, %d runs)", v[int((NR + 1) / 2)], v[1], v[NR], NR }'; }

declare -A commands=(
  [version]="--version"
  [select_1]="--data-dir $DATA sql -e SELECT_1"
  [models_list]="--data-dir $DATA models list"
  [predict_one_row]="--data-dir $DATA sql -e PREDICT"
  [endpoints_list]="--data-dir $DATA endpoints list"
)
order=(version select_1 models_list predict_one_row endpoints_list)
remote_order=(select_1 endpoints_list) # again while a server runs: the CLI sends them to it
run_lathe() { # run_lathe <launcher> <name>
  local launcher="$1" name="$2" args
  read -r -a args <<< "${commands[$name]}"
  for i in "${!args[@]}"; do
    case "${args[$i]}" in
      SELECT_1) args[i]="SELECT 1" ;;
      PREDICT) args[i]="SELECT * FROM ML.PREDICT(MODEL d.m, (SELECT 3.0 AS x))" ;;
    esac
  done
  wall env JAVA_HOME="$JAVA_HOME" "$launcher" "${args[@]}"
}

# ./lathe server from launch to its first 200 from :predict (issue 3, point 9's start-up figure), on an endpoint
# serving d.m; the endpoint is made once, untimed, by a first server.
PORT="${PORT:-18093}"
URL="http://127.0.0.1:$PORT"
PREDICT_URL="$URL/v1/projects/bench/locations/local/endpoints/m:predict"
SERVER_PID=""
stop_server() { [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2> /dev/null; wait "$SERVER_PID" 2> /dev/null || true; SERVER_PID=""; }; }
trap 'stop_server; rm -rf "$WORK"' EXIT
start_server() { # start_server <launcher>: starts its server in the background (SERVER_PID)
  env JAVA_HOME="$JAVA_HOME" "$1" --data-dir "$DATA" server --port "$PORT" --no-access-log > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
}
first_prediction() { # first_prediction <launcher>: seconds from launch to the first 200 from :predict
  local start end
  start="$(date +%s.%N)"
  start_server "$1"
  until [ "$(status_of -X POST "$PREDICT_URL" -d '{"instances": [{"x": 3.0}]}')" = 200 ]; do
    kill -0 "$SERVER_PID" 2> /dev/null || { cat "$WORK/server.log" >&2; echo "bench: the server exited" >&2; exit 1; }
    sleep 0.005
  done
  end="$(date +%s.%N)"
  stop_server
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
start_server "$ROOT/lathe"
until [ "$(status_of "$URL/readyz")" = 200 ]; do sleep 0.05; done
curl -sf -X POST "$URL/v1/projects/bench/locations/local/endpoints?endpointId=m" -d '{"displayName": "m"}' > /dev/null
curl -sf -X POST "$URL/v1/projects/bench/locations/local/endpoints/m:deployModel" \
  -d '{"deployedModel": {"model": "d.m"}, "trafficSplit": {"0": 100}}' > /dev/null
stop_server

echo "bench: $(bench_machine)" >&2
for i in $(seq "$RUNS"); do
  wall "$JAVA" -Xshare:auto -cp "$javac_dir" Empty >> "$WORK/empty_jvm"
  for name in "${order[@]}"; do
    run_lathe "$ROOT/lathe" "$name" >> "$WORK/lathe_$name"
    [ -z "$BASELINE" ] || run_lathe "$BASELINE/lathe" "$name" >> "$WORK/baseline_$name"
  done
  first_prediction "$ROOT/lathe" >> "$WORK/lathe_server"
  [ -z "$BASELINE" ] || first_prediction "$BASELINE/lathe" >> "$WORK/baseline_server"
done

# The same commands while the data directory's server runs (started once, untimed, by this checkout's launcher).
start_server "$ROOT/lathe"
until [ "$(status_of "$URL/readyz")" = 200 ]; do sleep 0.05; done
for i in $(seq "$RUNS"); do
  for name in "${remote_order[@]}"; do
    run_lathe "$ROOT/lathe" "$name" >> "$WORK/lathe_remote_$name"
    [ -z "$BASELINE" ] || run_lathe "$BASELINE/lathe" "$name" >> "$WORK/baseline_remote_$name"
  done
done
stop_server

echo "empty JVM (java Empty, the floor): $(summary < "$WORK/empty_jvm")"
for name in "${order[@]}"; do
  echo "lathe ${commands[$name]//$DATA/DIR}: $(summary < "$WORK/lathe_$name")"
  [ -z "$BASELINE" ] || echo "  baseline: $(summary < "$WORK/baseline_$name")"
done
for name in "${remote_order[@]}"; do
  echo "lathe ${commands[$name]//$DATA/DIR}, a server running: $(summary < "$WORK/lathe_remote_$name")"
  [ -z "$BASELINE" ] || echo "  baseline: $(summary < "$WORK/baseline_remote_$name")"
done
echo "lathe server, launch to the first 200 from :predict: $(summary < "$WORK/lathe_server")"
[ -z "$BASELINE" ] || echo "  baseline: $(summary < "$WORK/baseline_server")"
