#!/usr/bin/env bash
# A/B of two builds' online serving: this checkout's server and BASELINE's (another checkout, e.g. a `git worktree` of
# an earlier commit), started in turn on the same data directory, each warmed up and then saturated with wrk on
# :predict (one adult instance, as bench/serving/run.sh sends) and on /healthz. Alternating ROUNDS times keeps a noisy
# host's drift out of the comparison (docs/benchmarks.md, "Serving, 2026-12-06 second session").
#   BASELINE=/tmp/old bench/serving/ab.sh
#   SERVER_CPUS=1 CLIENT_CPUS=0 BASELINE=/tmp/old bench/serving/ab.sh   # server on CPU 1, wrk on CPU 0
#   ROUNDS=2 WARMUP=30 DURATION=10 ...                                  # the defaults
# Needs: wrk, curl, /usr/bin/python3; ../shared/datasets/adult_train.csv (or DATASETS); two builds that read the same
# metadata schema (both servers open one data directory).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BASELINE="${BASELINE:?set BASELINE to the checkout to compare with}"
DATASETS="${DATASETS:-$ROOT/../shared/datasets}"
ADULT="$DATASETS/adult_train.csv"
ROUNDS="${ROUNDS:-2}"
WARMUP="${WARMUP:-30}" # :predict needs ~30 s of load before the JIT has compiled it (bench/serving/run.sh)
DURATION="${DURATION:-10}"
PORT="${PORT:-8090}"
SERVER_CPUS="${SERVER_CPUS:-}"
CLIENT_CPUS="${CLIENT_CPUS:-}"
ON_SERVER_CPUS=(); [ -z "$SERVER_CPUS" ] || ON_SERVER_CPUS=(taskset -c "$SERVER_CPUS")
ON_CLIENT_CPUS=(); [ -z "$CLIENT_CPUS" ] || ON_CLIENT_CPUS=(taskset -c "$CLIENT_CPUS")
[ -f "$ADULT" ] || { echo "bench: $ADULT not found; set DATASETS" >&2; exit 1; }
source "$ROOT/bench/common.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-servingab.XXXXXX")"
SERVER_PID=""
stop() { [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2> /dev/null; wait "$SERVER_PID" 2> /dev/null || true; SERVER_PID=""; }; }
trap 'stop; rm -rf "$WORK"' EXIT
DATA="$WORK/data"
LATHE="http://127.0.0.1:$PORT"
PREDICT="$LATHE/v1/projects/bench/locations/local/endpoints/adult:predict"
/usr/bin/python3 "$HERE/instances.py" body "$ADULT" "$WORK/body.json"

echo "bench: $(bench_machine); server CPUs ${SERVER_CPUS:-any}, wrk CPUs ${CLIENT_CPUS:-any}" >&2
echo "bench: building the baseline in $BASELINE, training bench.adult (100 trees)" >&2
(cd "$BASELINE" && JAVA_HOME="$JAVA_HOME" ./lathe --version > /dev/null)
"$ROOT/lathe" --data-dir "$DATA" sql -e "CREATE SCHEMA bench;
LOAD DATA INTO bench.adult_train FROM FILES (format = 'CSV', uris = ['$ADULT']);
CREATE MODEL bench.adult OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['income'],
  max_iterations = 100, early_stop = FALSE) AS SELECT * FROM bench.adult_train" > /dev/null 2> "$WORK/train.log"

serve() { # serve <checkout>: starts its server on the data directory and waits for /readyz
  (cd "$1" && exec "${ON_SERVER_CPUS[@]}" ./lathe --data-dir "$DATA" server --port "$PORT" --no-access-log) > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1200); do
    [ "$(status_of "$LATHE/readyz")" = 200 ] && return 0
    kill -0 "$SERVER_PID" 2> /dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "bench: no /readyz from $1" >&2; exit 1
}
rps() { # rps <seconds> <url> [wrk args...]: requests per second of one wrk run
  local seconds="$1" url="$2"; shift 2
  BODY_FILE="$WORK/body.json" "${ON_CLIENT_CPUS[@]}" wrk -t2 -c64 -d"${seconds}s" "$@" "$url" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'
}

serve "$ROOT"
curl -sf -X POST "$LATHE/v1/projects/bench/locations/local/endpoints?endpointId=adult" -d '{"displayName": "adult"}' > /dev/null
curl -sf -X POST "$LATHE/v1/projects/bench/locations/local/endpoints/adult:deployModel" \
  -d '{"deployedModel": {"model": "bench.adult@1"}, "trafficSplit": {"0": 100}}' > /dev/null
stop

printf '| round | build | :predict req/s | /healthz req/s | ratio |\n|---|---|---|---|---|\n'
for round in $(seq "$ROUNDS"); do
  for build in baseline this; do
    checkout="$ROOT"; [ "$build" = this ] || checkout="$BASELINE"
    serve "$checkout"
    curl -sf -X POST "$PREDICT" -d @"$WORK/body.json" > "$WORK/answer-$build.json"
    rps "$WARMUP" "$PREDICT" -s "$HERE/post.lua" > /dev/null
    predict=$(rps "$DURATION" "$PREDICT" -s "$HERE/post.lua")
    rps 5 "$LATHE/healthz" > /dev/null
    healthz=$(rps "$DURATION" "$LATHE/healthz")
    stop
    printf '| %s | %s | %.0f | %.0f | %s |\n' "$round" "$build" "$predict" "$healthz" "$(ratio "$predict" "$healthz")"
  done
done
cmp -s "$WORK/answer-baseline.json" "$WORK/answer-this.json" && echo "parity: the same answer from both builds" \
  || { echo "parity: the builds answer differently:"; cat "$WORK/answer-baseline.json" "$WORK/answer-this.json"; }
