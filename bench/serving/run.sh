#!/usr/bin/env bash
# Online serving benchmark (issue 3, point 9): Lathe's Vertex :predict against the same server's /healthz and
# against FastAPI + uvicorn serving the same XGBoost booster. Results: docs/benchmarks.md.
#   bench/serving/run.sh                       # about 9 minutes
#   DURATION=30 RATE_SECONDS=30 bench/serving/run.sh
#   SERVER_CPUS=0 CLIENT_CPUS=1 bench/serving/run.sh   # servers (Lathe, FastAPI) on CPU 0, load generators on CPU 1
# Needs: wrk, a C compiler for the fixed-rate client (else the slower Java one), /usr/bin/python3 with fastapi, uvicorn, xgboost, numpy (Debian packages; python3-uvloop and
# python3-httptools make uvicorn use its fast loop and parser, else it falls back to asyncio + h11), curl.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATASETS="${DATASETS:-$ROOT/../shared/datasets}"
ADULT="$DATASETS/adult_train.csv"
[ -f "$ADULT" ] || { echo "bench: $ADULT not found; set DATASETS to the folder holding adult_train.csv" >&2; exit 1; }
PY="${PY:-/usr/bin/python3}"
PORT="${PORT:-8090}"             # Lathe
PEER_PORT="${PEER_PORT:-8091}"   # FastAPI
DURATION="${DURATION:-15}"       # seconds per wrk saturation run (after a warm-up run of WARMUP seconds)
# Lathe's :predict path needs ~30 s of load before the JIT has compiled it (measured: 11k req/s in the first 5 s,
# 38k in the next 10 s, 54-62k after 30 s; /healthz is warm within seconds); a server's steady state is what
# saturation measures, so every server gets the same warm-up first.
WARMUP="${WARMUP:-30}"
PAIRS="${PAIRS:-3}"               # paired rounds at the end (see below)
PAIR_SECONDS="${PAIR_SECONDS:-10}"
CONNECTIONS="${CONNECTIONS:-64}" # wrk connections
RATE_SECONDS="${RATE_SECONDS:-20}" # seconds per fixed-rate run (after 5 s warm-up at the same rate)
STARTS="${STARTS:-3}"            # timed server starts
SERVER_CPUS="${SERVER_CPUS:-}"   # taskset CPU list for both servers; empty: no pinning
CLIENT_CPUS="${CLIENT_CPUS:-}"   # taskset CPU list for wrk and the fixed-rate client
ON_SERVER_CPUS=(); [ -z "$SERVER_CPUS" ] || ON_SERVER_CPUS=(taskset -c "$SERVER_CPUS")
ON_CLIENT_CPUS=(); [ -z "$CLIENT_CPUS" ] || ON_CLIENT_CPUS=(taskset -c "$CLIENT_CPUS")
for tool in wrk curl "$PY"; do
  command -v "$tool" > /dev/null || { echo "bench: $tool not found" >&2; exit 1; }
done

source "$ROOT/bench/common.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-servebench.XXXXXX")"
DATA="$WORK/data"
SERVER_PID=""
PEER_PID=""
stop() { # stop <pid>: SIGTERM, then wait for it
  [ -n "$1" ] && kill "$1" 2> /dev/null && wait "$1" 2> /dev/null || true
}
cleanup() { stop "$PEER_PID"; stop "$SERVER_PID"; rm -rf "$WORK"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }

LATHE="http://127.0.0.1:$PORT"
ENDPOINT="$LATHE/v1/projects/bench/locations/local/endpoints/adult"
PREDICT="$ENDPOINT:predict"
"$PY" "$HERE/instances.py" body "$ADULT" "$WORK/body.json"

echo "bench: servers on CPUs ${SERVER_CPUS:-any}, load generators on CPUs ${CLIENT_CPUS:-any}" >&2
echo "bench: $(bench_machine)" >&2
echo "bench: loading adult_train and training bench.adult (100 trees)" >&2
(cd "$ROOT" && ./lathe --data-dir "$DATA" sql -e "CREATE SCHEMA bench;
LOAD DATA INTO bench.adult_train FROM FILES (format = 'CSV', uris = ['$ADULT']);
CREATE MODEL bench.adult OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['income'],
  max_iterations = 100, early_stop = FALSE) AS SELECT * FROM bench.adult_train") 2>&1 | tail -n 1 >&2

start_server() { # starts ./lathe server in the background; SERVER_PID, LAUNCHED_MS
  LAUNCHED_MS=$(now_ms)
  (cd "$ROOT" && exec "${ON_SERVER_CPUS[@]}" ./lathe --data-dir "$DATA" server --port "$PORT" --no-access-log) > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
}
wait_for() { # wait_for <expected status> <curl args...>: polls every 10 ms, up to 120 s
  local want="$1"; shift
  for _ in $(seq 12000); do
    [ "$(status_of "$@")" = "$want" ] && return 0
    kill -0 "$SERVER_PID" 2> /dev/null || { cat "$WORK/server.log" >&2; echo "bench: server exited" >&2; exit 1; }
    sleep 0.01
  done
  echo "bench: no $want from $* within 120 s" >&2; exit 1
}

echo "bench: first start, then create the endpoint and deploy bench.adult@1 with 100 % of traffic" >&2
start_server
wait_for 200 "$LATHE/readyz"
echo "  ready after $(( $(now_ms) - LAUNCHED_MS )) ms (no endpoint yet)" >&2
curl -sf -X POST "$LATHE/v1/projects/bench/locations/local/endpoints?endpointId=adult" -d '{"displayName": "adult"}' > /dev/null
curl -sf -X POST "$ENDPOINT:deployModel" -d '{"deployedModel": {"model": "bench.adult@1"}, "trafficSplit": {"0": 100}}' > /dev/null
curl -sf -X POST "$PREDICT" -d @"$WORK/body.json" >&2; echo >&2
stop "$SERVER_PID"

echo "bench: $STARTS timed starts: launch of ./lathe server to /readyz 200 and to the first 200 from :predict" >&2
: > "$WORK/starts"
for i in $(seq "$STARTS"); do
  start_server
  READY_MS=""
  while :; do
    if [ -z "$READY_MS" ] && [ "$(status_of "$LATHE/readyz")" = 200 ]; then READY_MS=$(( $(now_ms) - LAUNCHED_MS )); fi
    if [ "$(status_of -X POST "$PREDICT" -d @"$WORK/body.json")" = 200 ]; then FIRST_MS=$(( $(now_ms) - LAUNCHED_MS )); break; fi
    kill -0 "$SERVER_PID" 2> /dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "  start $i: ready ${READY_MS:-$FIRST_MS} ms, first prediction $FIRST_MS ms" >&2
  echo "${READY_MS:-$FIRST_MS} $FIRST_MS" >> "$WORK/starts"
  [ "$i" = "$STARTS" ] || stop "$SERVER_PID"
done

# wrk: closed loop, CONNECTIONS connections on 2 threads; a 5 s warm-up run, then the measured run.
saturate() { # saturate <label> <url> [post]: prints "label req/s p50 p99" from wrk's latency distribution
  local label="$1" url="$2" script=()
  [ "${3:-}" = post ] && script=(-s "$HERE/post.lua")
  BODY_FILE="$WORK/body.json" "${ON_CLIENT_CPUS[@]}" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "${script[@]}" "$url" > /dev/null
  BODY_FILE="$WORK/body.json" "${ON_CLIENT_CPUS[@]}" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${script[@]}" "$url" > "$WORK/wrk-$label"
  if grep -q 'Non-2xx\|Socket errors' "$WORK/wrk-$label"; then
    echo "bench: $label had errors:" >&2; cat "$WORK/wrk-$label" >&2; exit 1
  fi
  local rps p50 p99
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk-$label")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk-$label")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$label")
  echo "  $label: $rps req/s (closed loop, $CONNECTIONS connections: p50 $p50, p99 $p99; load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  echo "$label $rps" >> "$WORK/rps"
}
rps_of() { awk -v l="$1" '$1 == l {printf "%.0f", $2}' "$WORK/rps"; }
# The fixed-rate client: loadgen.c (one thread, one epoll loop) when a C compiler is there, else LoadClient.java (one
# parked Java thread per connection, whose own wake-ups add to the tail on shared cores); LOADGEN=java forces the latter.
LOADGEN="${LOADGEN:-c}"
if [ "$LOADGEN" = c ] && command -v cc > /dev/null && cc -O2 -o "$WORK/loadgen" "$HERE/loadgen.c"; then
  FIXED_CLIENT=("$WORK/loadgen")
else
  LOADGEN=java
  FIXED_CLIENT=("$JAVA" "$HERE/LoadClient.java")
fi
fixed() { # fixed <label> <url> <rate> <body file or -> [client...]: open-loop latency at a fixed rate
  local line label="$1" url="$2" rate="$3" body="$4"
  shift 4
  local client=("${FIXED_CLIENT[@]}")
  [ $# -eq 0 ] || client=("$@")
  line=$("${ON_CLIENT_CPUS[@]}" "${client[@]}" "$url" "$body" "$rate" "$RATE_SECONDS" 5 32 | grep '^RESULT')
  echo "  $label at $rate req/s: ${line#RESULT }" >&2
  echo "$label ${line#RESULT }" >> "$WORK/fixed"
}
: > "$WORK/rps"; : > "$WORK/fixed"

if [ -n "$SERVER_CPUS$CLIENT_CPUS" ]; then
  echo "bench: saturation with wrk (servers on CPUs ${SERVER_CPUS:-any}, wrk on CPUs ${CLIENT_CPUS:-any})" >&2
else
  echo "bench: saturation with wrk (wrk and the server share the same $(nproc) cores)" >&2
fi
saturate lathe_healthz "$LATHE/healthz"
saturate lathe_predict "$PREDICT" post
HALF=$(( $(rps_of lathe_predict) / 2 ))
echo "bench: Lathe :predict at half its saturation rate, open loop" >&2
fixed lathe_predict_half "$PREDICT" "$HALF" "$WORK/body.json"
fixed lathe_healthz_half "$LATHE/healthz" "$HALF" -
if [ "$LOADGEN" = c ]; then # the same run with the Java client, to show what the client itself adds to the tail
  fixed lathe_predict_half_java "$PREDICT" "$HALF" "$WORK/body.json" "$JAVA" "$HERE/LoadClient.java"
fi

start_peer() { # start_peer <workers>
  (cd "$HERE" && LATHE_MODEL_DIR="$DATA/models/bench/adult/1" exec "${ON_SERVER_CPUS[@]}" "$PY" -m uvicorn fastapi_app:app --port "$PEER_PORT" \
    --workers "$1" --log-level warning --no-access-log $UVICORN_FLAGS) > "$WORK/peer.log" 2>&1 &
  PEER_PID=$!
  for _ in $(seq 3000); do
    [ "$(status_of "http://127.0.0.1:$PEER_PORT/healthz")" = 200 ] && return 0
    sleep 0.01
  done
  cat "$WORK/peer.log" >&2; exit 1
}
UVICORN_FLAGS=""
if "$PY" -c 'import uvloop, httptools' 2> /dev/null; then UVICORN_FLAGS="--loop uvloop --http httptools"; fi
PEER_VERSIONS=$("$PY" -c 'import fastapi, uvicorn, xgboost, numpy, sys; print(f"Python {sys.version.split()[0]}, FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}, XGBoost {xgboost.__version__}, NumPy {numpy.__version__}")')
echo "bench: FastAPI peer ($PEER_VERSIONS; uvicorn flags: ${UVICORN_FLAGS:-none, asyncio + h11})" >&2
start_peer 1
PARITY=$("$PY" "$HERE/instances.py" parity "$ADULT" "$PREDICT" "http://127.0.0.1:$PEER_PORT/predict" 200)
echo "  $PARITY" >&2
saturate fastapi_healthz_1w "http://127.0.0.1:$PEER_PORT/healthz"
saturate fastapi_predict_1w "http://127.0.0.1:$PEER_PORT/predict" post
stop "$PEER_PID"; PEER_PID=""
start_peer 2
saturate fastapi_predict_2w "http://127.0.0.1:$PEER_PORT/predict" post
P1=$(rps_of fastapi_predict_1w); P2=$(rps_of fastapi_predict_2w)
BEST=1w; BEST_RPS=$P1
if [ "$P2" -gt "$P1" ]; then BEST=2w; BEST_RPS=$P2; fi
stop "$PEER_PID"; PEER_PID=""
start_peer "${BEST%w}"
PEER_HALF=$(( BEST_RPS / 2 ))
echo "bench: FastAPI ($BEST) at half its saturation rate, and Lathe at the same rate, open loop" >&2
fixed "fastapi_predict_half_$BEST" "http://127.0.0.1:$PEER_PORT/predict" "$PEER_HALF" "$WORK/body.json"
# Paired rounds: both servers are up and warm; each round saturates Lathe :predict, Lathe /healthz and FastAPI back to
# back (PAIR_SECONDS each, 2 s warm-up), so the ratios compare runs seconds apart rather than minutes (this host's
# speed drifts, and Python suffers more from its slow spells than the JVM does).
echo "bench: $PAIRS paired rounds of Lathe :predict, Lathe /healthz and FastAPI ($BEST), ${PAIR_SECONDS} s each" >&2
# Each round also measures :predict's p99 at half of the saturation it measured seconds before, as the single run above
# does minutes apart (a host that slows down between the two turns "half" into most of what the server can do then).
for round in $(seq "$PAIRS"); do
  WARMUP=2 DURATION="$PAIR_SECONDS" saturate "pair_lathe_predict_$round" "$PREDICT" post
  fixed "pair_lathe_half_$round" "$PREDICT" "$(( $(rps_of "pair_lathe_predict_$round") / 2 ))" "$WORK/body.json"
  WARMUP=2 DURATION="$PAIR_SECONDS" saturate "pair_lathe_healthz_$round" "$LATHE/healthz"
  WARMUP=2 DURATION="$PAIR_SECONDS" saturate "pair_fastapi_$round" "http://127.0.0.1:$PEER_PORT/predict" post
done
stop "$PEER_PID"; PEER_PID=""
fixed lathe_predict_at_peer_half "$PREDICT" "$PEER_HALF" "$WORK/body.json"

echo "bench: floors without HTTP: one-row in-place prediction, XGBoost4J (Lathe's call) and Python XGBoost" >&2
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$LIBS" "$HERE/PredictFloor.java" \
  "$DATA/models/bench/adult/1/estimator.bin" 3 2> /dev/null | grep '^RESULT' | sed 's/^RESULT /  /' | tee "$WORK/floor" >&2
(cd "$HERE" && "$PY" predict_floor.py "$DATA/models/bench/adult/1" 3) | sed 's/^RESULT /  /' | tee -a "$WORK/floor" >&2

fixed_field() { awk -v l="$1" '$1 == l' "$WORK/fixed" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; } # fixed_field <run> <key>
pair_ratio() { # pair_ratio <numerator label prefix> <denominator label prefix>: median over rounds of the ratio within a round
  for round in $(seq "$PAIRS"); do
    awk -v a="$(rps_of "${1}_$round")" -v b="$(rps_of "${2}_$round")" 'BEGIN { if (b > 0) print a / b }'
  done | median | awk '{ printf "%.2f", $1 }'
}
pair_list() { for round in $(seq "$PAIRS"); do printf '%s ' "$(rps_of "${1}_$round")"; done; }
pair_p99() { for round in $(seq "$PAIRS"); do fixed_field "pair_lathe_half_$round" p99_ms; done; } # one line per round
H=$(rps_of lathe_healthz); L=$(rps_of lathe_predict)
cat <<TABLE

Serving benchmark, $(date -u +%FT%TZ), load average at the end $(cut -d' ' -f1-3 /proc/loadavg); servers on CPUs ${SERVER_CPUS:-any}, load generators on CPUs ${CLIENT_CPUS:-any}
| measure | value | goal |
|---|---|---|
| Lathe GET /healthz at saturation (a) | $H req/s | |
| Lathe :predict at saturation, 1 instance per request | $L req/s | |
| FastAPI + uvicorn /predict at saturation, 1 worker | $P1 req/s | |
| FastAPI + uvicorn /predict at saturation, 2 workers | $P2 req/s | |
| FastAPI GET /healthz, 1 worker | $(rps_of fastapi_healthz_1w) req/s | |
| Lathe predict / FastAPI best ($BEST) | $(ratio "$L" "$BEST_RPS")x | >= 10x |
| Lathe predict / Lathe healthz | $(ratio "$L" "$H") | >= 0.60 |
| paired rounds ($PAIRS x ${PAIR_SECONDS} s, req/s): Lathe :predict / Lathe /healthz / FastAPI ($BEST) | $(pair_list pair_lathe_predict)/ $(pair_list pair_lathe_healthz)/ $(pair_list pair_fastapi) | |
| paired: Lathe predict / FastAPI ($BEST), median of per-round ratios | $(pair_ratio pair_lathe_predict pair_fastapi)x | >= 10x |
| paired: Lathe predict / Lathe healthz, median of per-round ratios | $(pair_ratio pair_lathe_predict pair_lathe_healthz) | >= 0.60 |
| Lathe :predict at $HALF req/s (half saturation), open loop: p50 / p99 | $(fixed_field lathe_predict_half p50_ms) / $(fixed_field lathe_predict_half p99_ms) ms (p99.9 $(fixed_field lathe_predict_half p999_ms), max $(fixed_field lathe_predict_half max_ms); client send lag p99 $(fixed_field lathe_predict_half lag_p99_ms)) | p99 <= 2 ms |
| paired: Lathe :predict p99 at half of the round's saturation ($(for round in $(seq "$PAIRS"); do printf '%s ' "$(( $(rps_of "pair_lathe_predict_$round") / 2 ))"; done)req/s): per round / median | $(pair_p99 | tr '\n' ' ')/ $(pair_p99 | median) ms (client send lag p99 $(for round in $(seq "$PAIRS"); do printf '%s ' "$(fixed_field "pair_lathe_half_$round" lag_p99_ms)"; done)ms) | p99 <= 2 ms |
| Lathe /healthz at $HALF req/s: p50 / p99 | $(fixed_field lathe_healthz_half p50_ms) / $(fixed_field lathe_healthz_half p99_ms) ms | |
| (fixed-rate client: $LOADGEN) Lathe :predict at $HALF req/s with LoadClient.java instead: p50 / p99 | $(fixed_field lathe_predict_half_java p50_ms) / $(fixed_field lathe_predict_half_java p99_ms) ms (send lag p99 $(fixed_field lathe_predict_half_java lag_p99_ms)) | |
| FastAPI ($BEST) at $PEER_HALF req/s (half its saturation): p50 / p99 | $(fixed_field "fastapi_predict_half_$BEST" p50_ms) / $(fixed_field "fastapi_predict_half_$BEST" p99_ms) ms (p99.9 $(fixed_field "fastapi_predict_half_$BEST" p999_ms)) | |
| Lathe :predict at $PEER_HALF req/s: p50 / p99 | $(fixed_field lathe_predict_at_peer_half p50_ms) / $(fixed_field lathe_predict_at_peer_half p99_ms) ms | |
| ./lathe server launch to /readyz, median of $STARTS | $(cut -d' ' -f1 "$WORK/starts" | median) ms ($(cut -d' ' -f1 "$WORK/starts" | tr '\n' ' ')) | |
| ./lathe server launch to first 200 from :predict, median of $STARTS | $(cut -d' ' -f2 "$WORK/starts" | median) ms ($(cut -d' ' -f2 "$WORK/starts" | tr '\n' ' ')) | |
$PARITY
TABLE
cat "$WORK/floor"
if [ -n "${BENCH_KEEP:-}" ]; then mkdir -p "$BENCH_KEEP" && cp "$WORK"/wrk-* "$WORK/fixed" "$WORK/starts" "$WORK/rps" "$WORK/floor" "$BENCH_KEEP/"; fi
