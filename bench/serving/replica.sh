#!/usr/bin/env bash
# Serving replicas (issue 3; docs/server.md#replicas-more-servers-for-the-same-endpoints): how long a replica
# (`lathe server --replica`) takes from launch to its first prediction beside a running primary, and how long a
# deployment change made on the primary takes to reach it (the new version answering on the replica), for two
# --refresh-seconds values. Results: docs/benchmarks.md.
#   bench/serving/replica.sh              # about 2 minutes
#   STARTS=5 CHANGES=5 bench/serving/replica.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STARTS="${STARTS:-3}"
CHANGES="${CHANGES:-3}"
PORT="${PORT:-8090}"
REPLICA_PORT="${REPLICA_PORT:-8092}"
command -v curl > /dev/null || { echo "bench: curl not found" >&2; exit 1; }
source "$ROOT/bench/common.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-replicabench.XXXXXX")"
DATA="$WORK/data"
PRIMARY_PID=""
REPLICA_PID=""
stop() { [ -n "$1" ] && kill "$1" 2> /dev/null && wait "$1" 2> /dev/null || true; }
cleanup() { stop "$REPLICA_PID"; stop "$PRIMARY_PID"; rm -rf "$WORK"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }
BASE="/v1/projects/bench/locations/local/endpoints"
BODY='{"instances": [{"island": "Biscoe", "bill_length_mm": 48.6, "bill_depth_mm": 16.0, "flipper_length_mm": 230, "body_mass_g": 5800, "sex": "MALE"}]}'
predict() { curl -s -X POST "http://127.0.0.1:$1$BASE/species:predict" -H 'Content-Type: application/json' -d "$BODY" || true; }
post() { curl -sf -X POST "http://127.0.0.1:$PORT$1" -H 'Content-Type: application/json' -d "$2" > /dev/null; }

echo "bench: $(bench_machine)" >&2
echo "bench: the quickstart's data directory (models), then a primary with endpoint 'species' on version 1" >&2
(cd "$ROOT" && ./lathe --data-dir "$DATA" quickstart > "$WORK/quickstart.log" 2>&1)
(cd "$ROOT" && ./lathe --data-dir "$DATA" sql -e "CREATE OR REPLACE MODEL quickstart.penguin_species
  OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species'], l2_reg = 0.5) AS
  SELECT species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, sex FROM quickstart.penguins" \
  > /dev/null 2>&1)
(cd "$ROOT" && exec ./lathe --data-dir "$DATA" server --port "$PORT" --no-access-log --refresh-seconds 1 > "$WORK/primary.log" 2>&1) &
PRIMARY_PID=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz"; do sleep 0.1; done
post "$BASE?endpointId=species" '{"displayName": "species"}'
post "$BASE/species:deployModel" '{"deployedModel": {"model": "quickstart.penguin_species@1"}, "trafficSplit": {"0": 100}}'

start_replica() { # start_replica <refresh seconds>: launches a replica in the background, sets REPLICA_PID
  (cd "$ROOT" && exec ./lathe --data-dir "$DATA" server --replica --port "$REPLICA_PORT" --no-access-log --refresh-seconds "$1" \
    > "$WORK/replica.log" 2>&1) &
  REPLICA_PID=$!
}

echo "bench: $STARTS replica launches to the first 200 from :predict (polling every 10 ms)" >&2
STARTS_MS=()
for i in $(seq "$STARTS"); do
  t0=$(now_ms); start_replica 5
  until [[ "$(predict "$REPLICA_PORT")" == *predictions* ]]; do sleep 0.01; done
  STARTS_MS+=($(( $(now_ms) - t0 ))); stop "$REPLICA_PID"; REPLICA_PID=""
done
echo "  replica launch to first prediction: ${STARTS_MS[*]} ms" >&2

for refresh in 1 5; do
  start_replica "$refresh"
  until [[ "$(predict "$REPLICA_PORT")" == *predictions* ]]; do sleep 0.05; done
  MOVES_MS=()
  for i in $(seq "$CHANGES"); do
    current="$(predict "$PORT" | sed -n 's/.*"modelVersionId":"\([0-9]*\)".*/\1/p')"
    target=$(( current == 1 ? 2 : 1 ))
    t0=$(now_ms)
    post "$BASE/species:deployModel" "{\"deployedModel\": {\"model\": \"quickstart.penguin_species@$target\"}, \"trafficSplit\": {\"0\": 100}}"
    t1=$(now_ms)
    until [[ "$(predict "$REPLICA_PORT")" == *"\"modelVersionId\":\"$target\""* ]]; do sleep 0.01; done
    MOVES_MS+=($(( $(now_ms) - t1 )))
    # leave one deployed model: undeploy every other one (they have no traffic now)
    for old in $(curl -s "http://127.0.0.1:$PORT$BASE/species" | grep -o '"id":"[0-9]*"' | sed 's/"id":"\([0-9]*\)"/\1/'); do
      new="$(predict "$PORT" | sed -n 's/.*"deployedModelId":"\([0-9]*\)".*/\1/p')"
      [ "$old" = "$new" ] || post "$BASE/species:undeployModel" "{\"deployedModelId\": \"$old\"}"
    done
    sleep 0.$((RANDOM % 10))   # changes land at different points of the replica's schedule
  done
  echo "  --refresh-seconds $refresh: deploy committed on the primary to the new version answering on the replica: ${MOVES_MS[*]} ms" >&2
  stop "$REPLICA_PID"; REPLICA_PID=""
done
echo "RESULT replica starts_ms=$(IFS=,; echo "${STARTS_MS[*]}")"
