# Sourced by the benchmark scripts (bench/run.sh, bench/explain/run.sh); set ROOT (the repository root) first.
# Finds the JDK, builds lathe.jar when the sources are newer (unless BENCH_NO_BUILD is set), makes a scratch
# folder $WORK removed on exit, and sets the JVM flags every measured process gets, Lathe and peers alike.
# Helpers: need_datasets <files> (under $DATASETS, default ../shared/datasets), compile <java files> (into $CP), run <main> <args> (one JVM; prints its RESULT line), measure <label>
# <main> <args> (REPEATS runs), med <label> <field> (median of a field over those runs), machine (one line).

DATASETS="${DATASETS:-$ROOT/../shared/datasets}"
need_datasets() { # need_datasets <files...>: stops with a clear message unless every file exists
  for f in "$@"; do
    [ -f "$f" ] || { echo "bench: $f not found; set DATASETS to the folder holding $(basename "$f")" >&2; exit 1; }
  done
}

if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ]; then JAVA_HOME="$candidate"; break; fi
  done
fi
JAVA="$JAVA_HOME/bin/java"
BUILD_DIR="${LATHE_BUILD_DIR:-$ROOT/target}"
if [ ! -f "$BUILD_DIR/lathe.jar" ] || { [ -z "${BENCH_NO_BUILD:-}" ] && [ -n "$(find "$ROOT/src/main" -newer "$BUILD_DIR/lathe.jar" -print -quit)" ]; }; then
  echo "bench: building lathe.jar" >&2
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" LATHE_BUILD_DIR="$BUILD_DIR" ./lathe build)
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lathe-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
LIBS="$BUILD_DIR/lathe.jar:$BUILD_DIR/lib/*"
CP="$LIBS"
# The launcher's JVM settings, for Lathe and the peers alike.
JOPTS=(-Xmx8g --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED)
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)"
if [ "${JAVA_MAJOR:-0}" -ge 23 ]; then JOPTS+=(--sun-misc-unsafe-memory-access=allow); fi
LOG="$WORK/log.txt"
: > "$LOG"

compile() { # compile <java files...>: bench sources on Lathe's class path, into $WORK/classes
  "$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" -cp "$LIBS" "$@"
  CP="$WORK/classes:$LIBS"
}
run() { # run <java main> <args...>: one JVM; its output goes to the log and its RESULT line to stdout
  "$JAVA" "${JOPTS[@]}" -cp "$CP" "$@" 2>&1 | { grep -v '^\[' || true; } | tee -a "$LOG" | { grep '^RESULT' || true; } | tail -n 1
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
measure() { # measure <label> <java main> <args...>: REPEATS runs; keeps every RESULT line in $WORK/<label>
  local label="$1"; shift
  : > "$WORK/$label"
  for i in $(seq "$REPEATS"); do
    local line; line="$(run "$@")"
    echo "  $label run $i: ${line#RESULT }" >&2
    echo "$line" >> "$WORK/$label"
  done
}
med() { field "$2" < "$WORK/$1" | median; } # med <label> <field>
machine() { # one line: date, cores, CPU model, load average, JVM
  echo "$(date -u +%FT%TZ), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), load average $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA" -version 2>&1 | head -n 1)"
}
