#!/usr/bin/env bash
# Shared set-up of the bench/ scripts (source it after setting ROOT): finds a JDK, (re)builds lathe.jar when the
# sources changed, and defines the launcher's JVM flags and the helpers that collect RESULT lines.
#   ROOT=... ; source "$ROOT/bench/common.sh"
# Defines JAVA_HOME, JAVA, BUILD_DIR, LIBS, JOPTS and SHORT_OPTS (the launcher's flags for long-running and short
# commands: -Xmx8g, native access, java.nio opened to Arrow, Unsafe allowed on JDK 23+, the JIT (for short commands C1
# only with loops compiled early, as the launcher has it), transparent huge pages), GLIBC_LONG and GLIBC_SHORT
# (GLIBC_TUNABLES for each), and the functions below.

if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ]; then JAVA_HOME="$candidate"; break; fi
  done
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
BUILD_DIR="${LATHE_BUILD_DIR:-$ROOT/target}"
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)"
# `./lathe build` makes the jar and, on JDK 25+, the launcher's AOT cache (see docs/cli.md); whatever runs through
# the launcher needs that cache current, as after any launcher build.
if [ ! -f "$BUILD_DIR/lathe.jar" ] || { [ -z "${BENCH_NO_BUILD:-}" ] && [ -n "$(find "$ROOT/src/main" -newer "$BUILD_DIR/lathe.jar" -print -quit)" ]; } \
   || { [ "${JAVA_MAJOR:-0}" -ge 25 ] && [ "${LATHE_AOT:-on}" != off ] && [ ! "$BUILD_DIR/lathe.aot" -nt "$BUILD_DIR/lathe.jar" ]; }; then
  echo "bench: building lathe.jar (and the launcher's AOT cache)" >&2
  (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" LATHE_BUILD_DIR="$BUILD_DIR" ./lathe build)
fi
LIBS="$BUILD_DIR/lathe.jar:$BUILD_DIR/lib/*"
# The launcher's JVM settings (see ./lathe), for Lathe and the peers alike. JOPTS are a long-running command's (`lathe
# server`, the interactive shell): both compilers and, where the kernel's mode is madvise, transparent huge pages for
# the Java and C heaps. SHORT_OPTS are a short command's (`lathe sql -e`): C1's code only, huge pages as well (unless
# LATHE_HUGE_PAGES=long-running); `SHORT=1 bench_run ...` runs a JVM with them. LATHE_JIT and LATHE_HUGE_PAGES change
# both as they change the launcher's.
BASE_OPTS=(-Xmx8g --enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED)
if [ "${JAVA_MAJOR:-0}" -ge 23 ]; then BASE_OPTS+=(--sun-misc-unsafe-memory-access=allow); fi
# The drivers' native libraries as the launcher's build unpacked them (target/native/jvm-options; see ./lathe).
if [ -f "$BUILD_DIR/native/jvm-options" ]; then
  while IFS= read -r option; do [ -z "$option" ] || BASE_OPTS+=("$option"); done < "$BUILD_DIR/native/jvm-options"
fi
JOPTS=("${BASE_OPTS[@]}")
SHORT_OPTS=("${BASE_OPTS[@]}")
QUICK_JIT=(-XX:TieredStopAtLevel=1 -XX:Tier3BackEdgeThreshold=2000) # the launcher's QUICK_JIT_FLAGS
case "${LATHE_JIT:-auto}" in
  full) ;;
  quick) JOPTS+=("${QUICK_JIT[@]}"); SHORT_OPTS+=("${QUICK_JIT[@]}") ;;
  *) SHORT_OPTS+=("${QUICK_JIT[@]}") ;;
esac
GLIBC_LONG="${GLIBC_TUNABLES:-}"
GLIBC_SHORT="${GLIBC_TUNABLES:-}"
if [ "${LATHE_HUGE_PAGES:-auto}" != off ] && grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  HUGE_TUNABLES="$GLIBC_LONG"
  case ":$HUGE_TUNABLES:" in
    *:glibc.malloc.hugetlb=*) ;; # the caller chose
    *) HUGE_TUNABLES="${HUGE_TUNABLES:+$HUGE_TUNABLES:}glibc.malloc.hugetlb=1" ;;
  esac
  JOPTS+=(-XX:+UseTransparentHugePages)
  GLIBC_LONG="$HUGE_TUNABLES"
  if [ "${LATHE_HUGE_PAGES:-on}" != long-running ]; then SHORT_OPTS+=(-XX:+UseTransparentHugePages); GLIBC_SHORT="$HUGE_TUNABLES"; fi
fi

bench_compile() { # bench_compile <classes dir> <java files...>: compiles benchmark sources against lathe.jar
  local classes="$1"; shift
  "$JAVA_HOME/bin/javac" -nowarn -d "$classes" -cp "$LIBS" "$@"
}
bench_work() { # bench_work <name>: WORK (a temporary folder, removed at exit), CLASSES (bench/*.java compiled), CP, DATA, LOG
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  CLASSES="$WORK/classes"
  bench_compile "$CLASSES" "$ROOT"/bench/*.java
  CP="$CLASSES:$LIBS"
  DATA="$WORK/data"
  LOG="$WORK/log.txt"
  : > "$LOG"
}
bench_run() { # [SHORT=1] bench_run [JVM flags] <java main> <args...>: one JVM on $CP with JOPTS (SHORT_OPTS); its output goes to $LOG, its last RESULT line to stdout
  if [ -n "${SHORT:-}" ]; then
    GLIBC_TUNABLES="$GLIBC_SHORT" "$JAVA" "${SHORT_OPTS[@]}" -cp "$CP" "$@"
  else
    GLIBC_TUNABLES="$GLIBC_LONG" "$JAVA" "${JOPTS[@]}" -cp "$CP" "$@"
  fi 2>&1 | { grep -v '^\[' || true; } | tee -a "$LOG" | { grep '^RESULT' || true; } | tail -n 1
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@" || true; } # status_of <curl args...>: the HTTP status, 000 when none
bench_machine() { # one line: date, cores, CPU model, JDK, load average
  echo "$(date -u +%FT%TZ), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), $("$JAVA" -version 2>&1 | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }                    # field <key>: the value of key=value on RESULT lines
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; } # median of numbers, one per line
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
