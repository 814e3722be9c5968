#!/usr/bin/env bash
# End-to-end check of the shutdown drain behind a real load balancer: HAProxy on loopback in
# front of two instances of one example service, health-checking /__lbheartbeat__ with the
# check lines of dockerflow-helidon/README.md, a fixed-duration wrk load through it, and one
# instance stopped with SIGTERM in the middle. Counts what the clients saw go wrong (goal: 0),
# once without the drain and once with it. Figures: docs/probes.md ("Measured").
#
#   benchmarks/drain-haproxy.sh [helidon|jaxrs]     # default helidon; about 1 minute
#
# Environment: DRAINS (default "0 3000", DOCKERFLOW_SHUTDOWN_DRAIN_MS of each run), DURATION
# (seconds of load, default 20), STOP_AFTER (seconds into the load when the first instance
# gets SIGTERM, default 6), CONNECTIONS (default 8). Loopback only; nothing outlives the script.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
EXAMPLE=${1:-helidon}
case "$EXAMPLE" in
    helidon|jaxrs) ;;
    *) echo "usage: $0 [helidon|jaxrs]" >&2; exit 2 ;;
esac
DRAINS=${DRAINS:-"0 3000"}
DURATION=${DURATION:-20}
STOP_AFTER=${STOP_AFTER:-6}
CONNECTIONS=${CONNECTIONS:-8}
PORT_A=18471
PORT_B=18472
PORT_LB=18470
PORT_STATS=18479

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
for tool in wrk haproxy curl; do
    if ! command -v "$tool" > /dev/null && ! [[ -x /usr/sbin/$tool ]]; then
        echo "$tool is missing (apt-get install $tool; .ci/install-haproxy installs haproxy)" >&2
        exit 1
    fi
done
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

OUT=$ROOT/benchmarks/target/drain-haproxy
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== build examples/$EXAMPLE-notes"
./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true package -pl "examples/$EXAMPLE-notes" -am
JAR=$ROOT/examples/$EXAMPLE-notes/target/$EXAMPLE-notes.jar

# PIDS, the EXIT trap that stops them, await_200
source "$ROOT/benchmarks/processes.sh"

# start_instance <name> <port> <drain ms>: sets STARTED to the pid (a child of this shell, so it can be waited for)
start_instance() {
    PORT=$2 DOCKERFLOW_SHUTDOWN_DRAIN_MS=$3 APP_DIR=/nonexistent-app-dir \
        "$JAVA" -Xms128m -Xmx256m -jar "$JAR" > "$OUT/$1.log" 2>&1 &
    STARTED=$!
    PIDS+=("$STARTED")
}

# stat <proxy> <server> <column>: one value of HAProxy's CSV stats
stat() {
    curl -s "http://127.0.0.1:$PORT_STATS/stats;csv" | awk -F, -v px="$1" -v sv="$2" -v col="$3" '
        NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) idx[$i] = i; next }
        $1 == px && $2 == sv { print $(idx[col]) }'
}

printf '| example | drain | requests | errors seen by clients | 5xx from HAProxy | socket errors | p99 / max latency | stopped instance: exit, time to exit |\n' > "$OUT/results.md"
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n' >> "$OUT/results.md"

for DRAIN in $DRAINS; do
    echo "== $EXAMPLE, DOCKERFLOW_SHUTDOWN_DRAIN_MS=$DRAIN"
    PIDS=()
    start_instance "a-$DRAIN" $PORT_A "$DRAIN"
    A=$STARTED
    start_instance "b-$DRAIN" $PORT_B "$DRAIN"
    B=$STARTED
    await_200 "http://127.0.0.1:$PORT_A/__lbheartbeat__" "$A"
    await_200 "http://127.0.0.1:$PORT_B/__lbheartbeat__" "$B"

    # The check lines are dockerflow-helidon/README.md's; HAProxy's other settings are its defaults
    # (3 retries of a failed connection on the same server, no redispatch).
    cat > "$OUT/haproxy-$DRAIN.cfg" <<EOF
global
    maxconn 1024
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend stats
    bind 127.0.0.1:$PORT_STATS
    stats enable
    stats uri /stats
frontend web
    bind 127.0.0.1:$PORT_LB
    default_backend notes
backend notes
    option httpchk
    http-check send meth GET uri /__lbheartbeat__ ver HTTP/1.1 hdr Host notes.internal
    http-check expect status 200
    server a 127.0.0.1:$PORT_A check inter 1s fall 2 rise 2
    server b 127.0.0.1:$PORT_B check inter 1s fall 2 rise 2
EOF
    "$HAPROXY" -f "$OUT/haproxy-$DRAIN.cfg" -db > "$OUT/haproxy-$DRAIN.log" 2>&1 &
    PIDS+=($!)
    deadline=$((SECONDS + 30))
    until [[ $(stat notes a status 2> /dev/null) == UP && $(stat notes b status 2> /dev/null) == UP ]]; do
        if ((SECONDS > deadline)); then
            echo "HAProxy did not mark both instances up" >&2
            exit 1
        fi
        sleep 0.2
    done
    # a short warm-up through the balancer, not counted
    wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT_LB/notes/count" > /dev/null

    FRONT_5XX_BEFORE=$(stat web FRONTEND hrsp_5xx)
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s benchmarks/wrk-report.lua \
        "http://127.0.0.1:$PORT_LB/notes/count" > "$OUT/wrk-$DRAIN.txt" &
    WRK=$!
    sleep "$STOP_AFTER"
    T0=$(date +%s%N)
    kill -TERM "$A"
    set +e
    wait "$A"
    A_EXIT=$?
    set -e
    A_MS=$((($(date +%s%N) - T0) / 1000000))
    wait "$WRK"
    FRONT_5XX=$(($(stat web FRONTEND hrsp_5xx) - FRONT_5XX_BEFORE))
    RESULT=$(grep '^RESULT' "$OUT/wrk-$DRAIN.txt" | cut -d' ' -f2-)
    REQUESTS=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<< "$RESULT")
    NON2XX=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<< "$RESULT")
    SOCKET=$(sed -E 's/.*socket_errors=([0-9]+).*/\1/' <<< "$RESULT")
    P99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<< "$RESULT")
    MAX=$(sed -E 's/.*max_ms=([0-9.]+).*/\1/' <<< "$RESULT")
    echo "   $RESULT"
    echo "   instance a: exit $A_EXIT after ${A_MS} ms; HAProxy 5xx to clients: $FRONT_5XX; server a: $(stat notes a status)"
    printf '| %s | %s ms | %s | %s | %s | %s | %.0f / %.0f ms | %s, %.1f s |\n' "$EXAMPLE" "$DRAIN" "$REQUESTS" \
        $((NON2XX + SOCKET)) "$FRONT_5XX" "$SOCKET" "$P99" "$MAX" "$A_EXIT" "$(awk -v ms="$A_MS" 'BEGIN { print ms / 1000 }')" >> "$OUT/results.md"
    stop_started
done

echo
echo "== results (also in $OUT/results.md)"
cat "$OUT/results.md"
