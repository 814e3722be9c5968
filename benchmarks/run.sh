#!/usr/bin/env bash
# HTTP benchmarks of dockerflow-java against its peers, in one run on one machine.
# Method and latest figures: docs/benchmarks.md. Usage, from anywhere:
#
#   benchmarks/run.sh           # full run (about 20 minutes on 2 cores), rewrites docs/benchmarks.md and docs/benchmarks.png
#   benchmarks/run.sh --quick   # short trial (1 run of 2 s each); writes under benchmarks/target only
#
# Load comes from wrk on 127.0.0.1 only; every run has a fixed duration. On a machine with
# 2 or more cores the server is pinned to CPU 0 and wrk to CPU 1 (taskset).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
START_SECONDS=$SECONDS
QUICK=false
[[ "${1:-}" == "--quick" ]] && QUICK=true

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
if ! "$JAVA" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    echo "JAVA_HOME must point to a JDK 21 or newer (got $JAVA_HOME)" >&2
    exit 1
fi

if $QUICK; then
    WARMUP=2; DURATION=2; RUNS=1; SLOW_DURATION=3; STORM_DURATION=5; STARTS=1
    DOC=benchmarks/target/http-results/benchmarks.md; CHART=benchmarks/target/http-results/benchmarks.png
else
    WARMUP=10; DURATION=5; RUNS=3; SLOW_DURATION=6; STORM_DURATION=10; STARTS=3
    DOC=docs/benchmarks.md; CHART=docs/benchmarks.png
fi
THREADS=2
CONNECTIONS=32
PORT=18080
# the same flags for every server measured under load
JVM_FLAGS=(-Xms256m -Xmx256m)

OUT=$ROOT/benchmarks/target/http-results
rm -rf "$OUT"
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
: > "$RESULTS"

if ! command -v wrk > /dev/null; then
    echo "installing wrk"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get install -y wrk > /dev/null || { apt-get update > /dev/null && apt-get install -y wrk > /dev/null; }
    else
        sudo apt-get install -y wrk > /dev/null
    fi
fi

SERVER_CPU=()
LOAD_CPU=()
PINNING="none (taskset missing or fewer than 2 cores): server and wrk share the CPUs"
if command -v taskset > /dev/null && [[ $(nproc) -ge 2 ]]; then
    SERVER_CPU=(taskset -c 0)
    LOAD_CPU=(taskset -c 1)
    PINNING="server on CPU 0, wrk on CPU 1 (taskset)"
fi

echo "== build"
./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true package \
    -pl benchmarks,examples/helidon-notes,examples/jaxrs-notes -am
# the Spring Boot peer and example: reactor modules with Spring Boot's own dependency management
./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true package -pl benchmarks/spring-peer,examples/spring-boot-notes -am
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
HELIDON=(dev.dockerflow.benchmarks.http.HelidonServer)
JERSEY=(dev.dockerflow.benchmarks.http.JerseyServer)

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SERVER_PID=

# start_server <name> <readiness path> <command...>: starts the command (pinned) and waits
# up to 60 s for a 2xx on the path (Helidon's health observer answers 204); sets SERVER_PID
# and STARTUP_MS
start_server() {
    local name=$1 path=$2
    shift 2
    local t0
    t0=$(date +%s%N)
    "${SERVER_CPU[@]}" "$@" > "$OUT/$name.log" 2>&1 &
    SERVER_PID=$!
    local deadline=$((SECONDS + 60))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$path" || true) == 2?? ]]; do
        if ! kill -0 "$SERVER_PID" 2> /dev/null || ((SECONDS > deadline)); then
            echo "server $name did not start; its log:" >&2
            tail -20 "$OUT/$name.log" >&2
            exit 1
        fi
        sleep 0.02
    done
    STARTUP_MS=$((($(date +%s%N) - t0) / 1000000))
}

stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2> /dev/null || true
        wait "$SERVER_PID" 2> /dev/null || true
        SERVER_PID=
    fi
}
trap stop_server EXIT

# wrk_run <seconds> <connections> <threads> <path>: prints wrk's RESULT line as key=value words
wrk_run() {
    "${LOAD_CPU[@]}" wrk -t"$3" -c"$2" -d"$1"s --timeout 10s -s benchmarks/wrk-report.lua \
        "http://127.0.0.1:$PORT$4" | grep '^RESULT' | cut -d' ' -f2-
}

# record <key> <run> <key=value words>: one line of results.tsv
record() {
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"
}

# warm_server <path...>: a fresh server's first load, WARMUP seconds on each path, so the JIT
# has compiled its common request path before any path is measured (on one core this takes
# 15 to 20 s for Jersey)
warm_server() {
    local path
    for path in "$@"; do
        wrk_run "$WARMUP" "$CONNECTIONS" "$THREADS" "$path" > /dev/null
    done
}

CLOCK_TICKS=$(getconf CLK_TCK)
# server_cpu_ticks: the server process's user and system CPU so far, in clock ticks
server_cpu_ticks() {
    awk '{print $14, $15}' "/proc/$SERVER_PID/stat"
}

# measure <key> <path>: warm-up, then RUNS runs of DURATION seconds; each run also records the
# server's CPU per request, user and kernel, in microseconds (all its threads: JIT and GC included)
measure() {
    local key=$1 path=$2 run line u0 s0 u1 s1 cpu
    wrk_run "$WARMUP" "$CONNECTIONS" "$THREADS" "$path" > /dev/null
    for run in $(seq 1 "$RUNS"); do
        read -r u0 s0 < <(server_cpu_ticks)
        line=$(wrk_run "$DURATION" "$CONNECTIONS" "$THREADS" "$path")
        read -r u1 s1 < <(server_cpu_ticks)
        cpu=$(awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v hz="$CLOCK_TICKS" -v l="$line" 'BEGIN {
            n = 0; if (match(l, /requests=[0-9]+/)) n = substr(l, RSTART + 9, RLENGTH - 9) + 0
            if (n > 0) printf "cpu_user_us=%.3f cpu_sys_us=%.3f", u * 1e6 / hz / n, s * 1e6 / hz / n }')
        record "$key" "$run" "$line $cpu"
        echo "   $key #$run: $line $cpu"
    done
}

echo "== 1-3. throughput: wrk -t$THREADS -c$CONNECTIONS, ${WARMUP}s warm-up, $RUNS x ${DURATION}s"
throughput() { # <server prefix> <main...>
    local prefix=$1
    shift
    start_server "$prefix-bare" /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "$@" bare "$PORT"
    warm_server /bare /app
    measure "$prefix.bare" /bare
    stop_server
    # summaries go to the server's stdout, here a file, as a container's log would
    start_server "$prefix-dockerflow" /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "$@" dockerflow "$PORT"
    warm_server /__lbheartbeat__ /app
    measure "$prefix.lbheartbeat" /__lbheartbeat__
    measure "$prefix.heartbeat" /__heartbeat__
    measure "$prefix.app.summary" /app
    stop_server
    start_server "$prefix-dockerflow-quiet" /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "$@" dockerflow-quiet "$PORT"
    warm_server /__lbheartbeat__ /app
    # the same paths in the same order as above, so both servers' JIT saw the same history
    measure "$prefix.lbheartbeat.nosummary" /__lbheartbeat__
    measure "$prefix.heartbeat.nosummary" /__heartbeat__
    measure "$prefix.app.nosummary" /app
    stop_server
    if [[ $prefix == helidon ]]; then
        # no Dockerflow: a filter of the benchmark's own answers /__lbheartbeat__ with the same bytes
        # (Cache-Control: no-store, a new X-Request-ID) and lets the rest through: the floor of the contract's answer
        start_server "$prefix-filter" /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "$@" filter "$PORT"
        warm_server /__lbheartbeat__ /bare
        measure "$prefix.filter.lbheartbeat" /__lbheartbeat__
        measure "$prefix.filter.bare" /bare
        stop_server
    fi
}
throughput helidon "${HELIDON[@]}"
throughput jersey "${JERSEY[@]}"

echo "== request logs on /app: no logging, Dockerflow's summaries (above), the framework's own access log"
# the frameworks' access logs write to stdout, here a file, as the summaries do
access_logs() { # <server prefix> <main...>
    local prefix=$1
    shift
    start_server "$prefix-app-bare" /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "$@" bare "$PORT"
    warm_server /app
    measure "$prefix.app.bare" /app
    stop_server
    start_server "$prefix-accesslog" /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "$@" accesslog "$PORT"
    warm_server /app
    measure "$prefix.app.accesslog" /app
    stop_server
}
access_logs helidon "${HELIDON[@]}"
access_logs jersey "${JERSEY[@]}"

BENCH_TCP_NODELAY=true start_server helidon-dockerflow-nodelay /bare \
    "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "${HELIDON[@]}" dockerflow "$PORT"
measure helidon.heartbeat.nodelay /__heartbeat__
stop_server
start_server helidon-observe /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "${HELIDON[@]}" observe-health "$PORT"
warm_server /observe/health
measure helidon.observe /observe/health
stop_server
BENCH_TCP_NODELAY=true start_server helidon-observe-nodelay /bare \
    "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "${HELIDON[@]}" observe-health "$PORT"
measure helidon.observe.nodelay /observe/health
stop_server
# with details the observer answers a JSON body naming every check, as /__heartbeat__ does
start_server helidon-observe-details /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "${HELIDON[@]}" observe-health-details "$PORT"
warm_server /observe/health
measure helidon.observe.details /observe/health
stop_server
BENCH_TCP_NODELAY=true start_server helidon-observe-details-nodelay /bare \
    "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "${HELIDON[@]}" observe-health-details "$PORT"
measure helidon.observe.details.nodelay /observe/health
stop_server
# Spring Boot: one application (benchmarks/spring-peer), the variant chosen by its first argument
SPRING=(-jar benchmarks/spring-peer/target/spring-peer.jar)
# the starter off: the bare route, Actuator's health with 10 indicators, /app with no log at all
# Spring MVC's request path needs about three times the others' warm-up on one core before its
# throughput settles: each Spring server is warmed SPRING_WARM_ROUNDS times over its paths
SPRING_WARM_ROUNDS=3
warm_spring() {
    local round
    for round in $(seq 1 "$SPRING_WARM_ROUNDS"); do
        warm_server "$@"
    done
}
start_server spring-bare /bare "$JAVA" "${JVM_FLAGS[@]}" "${SPRING[@]}" bare "$PORT"
warm_spring /bare /actuator/health /app
measure spring.bare /bare
measure spring.actuator /actuator/health
measure spring.app /app
stop_server
# the starter with 10 checks, summaries to stdout (here a file), then the same with summaries discarded
for variant in dockerflow dockerflow-quiet; do
    suffix=
    [[ $variant == dockerflow-quiet ]] && suffix=.nosummary
    start_server "spring-$variant" /bare "$JAVA" "${JVM_FLAGS[@]}" "${SPRING[@]}" "$variant" "$PORT"
    warm_spring /__heartbeat__ /app
    measure "spring.heartbeat$suffix" /__heartbeat__
    measure "spring.app${suffix:-.summary}" /app
    stop_server
done
# Tomcat's access log valve on stdout (default pattern), the starter off
start_server spring-accesslog /bare "$JAVA" "${JVM_FLAGS[@]}" "${SPRING[@]}" accesslog "$PORT"
warm_spring /app
measure spring.app.accesslog /app
stop_server

# start_variant <helidon|jersey> <variant>: starts that benchmark server, ready on /bare
start_variant() {
    local main=("${HELIDON[@]}")
    [[ $1 == jersey ]] && main=("${JERSEY[@]}")
    start_server "$1-$2" /bare "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "${main[@]}" "$2" "$PORT"
}

echo "== 4. slow checks: 5 checks of 200 ms, one connection, ${SLOW_DURATION}s"
for server in helidon jersey; do
    start_variant "$server" slow
    wrk_run 2 1 1 /__heartbeat__ > /dev/null
    line=$(wrk_run "$SLOW_DURATION" 1 1 /__heartbeat__)
    record "$server.slow" 1 "$line"
    echo "   $server.slow: $line"
    stop_server
done

echo "== 5. storm: 64 connections on /__heartbeat__ for ${STORM_DURATION}s, one check of 50 ms"
for server in helidon jersey; do
    start_variant "$server" storm
    line=$(wrk_run "$STORM_DURATION" 64 "$THREADS" /__heartbeat__)
    stats=$(curl -s "http://127.0.0.1:$PORT/bench/stats")
    record "$server.storm" 1 "$line $stats seconds=$STORM_DURATION"
    echo "   $server.storm: $line $stats"
    stop_server
done

echo "== 6. start-up (first 200, $STARTS starts) and peak RSS (VmHWM after ${DURATION}s of load), default JVM flags"
memory() { # <key> <path> <command...>
    local key=$1 path=$2 i hwm
    shift 2
    for i in $(seq 1 "$STARTS"); do
        start_server "mem-$key-$i" "$path" "$@"
        if ((i < STARTS)); then
            stop_server
            record "$key.memory" "$i" "startup_ms=$STARTUP_MS"
        fi
    done
    wrk_run "$DURATION" "$CONNECTIONS" "$THREADS" "$path" > /dev/null
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
    record "$key.memory" "$STARTS" "startup_ms=$STARTUP_MS vmhwm_kb=$hwm"
    echo "   $key: started in $STARTUP_MS ms, VmHWM $hwm kB"
    stop_server
}
# the examples read PORT; their database is the default embedded one
export PORT
memory example.helidon-notes /__lbheartbeat__ "$JAVA" -jar examples/helidon-notes/target/helidon-notes.jar
memory example.jaxrs-notes /__lbheartbeat__ "$JAVA" -jar examples/jaxrs-notes/target/jaxrs-notes.jar
memory helidon.dockerflow /__lbheartbeat__ "$JAVA" -cp "$CP" "${HELIDON[@]}" dockerflow-quiet "$PORT"
memory helidon.bare /bare "$JAVA" -cp "$CP" "${HELIDON[@]}" bare "$PORT"
memory helidon.observe /observe/health "$JAVA" -cp "$CP" "${HELIDON[@]}" observe-health "$PORT"
memory jersey.dockerflow /__lbheartbeat__ "$JAVA" -cp "$CP" "${JERSEY[@]}" dockerflow-quiet "$PORT"
memory jersey.bare /bare "$JAVA" -cp "$CP" "${JERSEY[@]}" bare "$PORT"
memory spring.actuator /actuator/health "$JAVA" -jar benchmarks/spring-peer/target/spring-peer.jar bare "$PORT"
memory spring.dockerflow /__lbheartbeat__ "$JAVA" -jar benchmarks/spring-peer/target/spring-peer.jar dockerflow-quiet "$PORT"
memory example.spring-boot-notes /__lbheartbeat__ "$JAVA" -jar examples/spring-boot-notes/target/spring-boot-notes.jar

echo "== summary line alone: JMH SummaryLineBenchmark, 1 fork, 2 x 1 s warm-up, 3 x 1 s, -prof gc"
"${SERVER_CPU[@]}" "$JAVA" -cp "$CP" org.openjdk.jmh.Main SummaryLineBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s \
    -prof gc -rf json -rff "$OUT/jmh-summary-line.json" > "$OUT/jmh-summary-line.log" 2>&1
grep -E '^SummaryLineBenchmark\.[A-Za-z]+ +avgt|gc\.alloc\.rate\.norm +avgt' "$OUT/jmh-summary-line.log" | sed 's/^/   /' || true

ELAPSED=$((SECONDS - START_SECONDS))
COMMAND="benchmarks/run.sh${1:+ $1}"
{
    echo "date=$(date -u +%Y-%m-%d)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores=$(nproc)"
    echo "memory_gb=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
    echo "kernel=$(uname -r)"
    echo "jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.vendor/ {v=$2} /java.runtime.version/ {r=$2} END {print v " " r}')"
    jar_version() { ls "$@" 2> /dev/null | sed -n 's/.*-\([0-9][0-9.]*[0-9]\)\.jar$/\1/p' | head -1; }
    echo "helidon=$(jar_version benchmarks/target/lib/helidon-webserver-[0-9]*.jar)"
    echo "jersey=$(jar_version benchmarks/target/lib/jersey-server-[0-9]*.jar)"
    echo "grizzly=$(jar_version benchmarks/target/lib/grizzly-http-server-[0-9]*.jar)"
    echo "spring_boot=$(unzip -l benchmarks/spring-peer/target/spring-peer.jar | grep -o 'spring-boot-actuator-[0-9][0-9.]*[0-9]\.jar' | head -1 | sed 's/spring-boot-actuator-//; s/\.jar//')"
    echo "tomcat=$(unzip -l benchmarks/spring-peer/target/spring-peer.jar | grep -o 'tomcat-embed-core-[0-9][0-9.]*[0-9]\.jar' | head -1 | sed 's/tomcat-embed-core-//; s/\.jar//')"
    echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    echo "pinning=$PINNING"
    echo "jvm_flags=${JVM_FLAGS[*]}"
    echo "load_before=$LOAD_BEFORE"
    echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "warmup=$WARMUP"
    echo "duration=$DURATION"
    echo "runs=$RUNS"
    echo "threads=$THREADS"
    echo "connections=$CONNECTIONS"
    echo "elapsed_s=$ELAPSED"
    echo "command=JAVA_HOME=$JAVA_HOME $COMMAND"
} > "$OUT/environment.properties"

"$JAVA" -Djava.awt.headless=true -cp "$CP" dev.dockerflow.benchmarks.http.Report "$OUT" "$DOC" "$CHART"
echo "== done in ${ELAPSED}s: $DOC, $CHART"
