#!/usr/bin/env bash
# Helidon /__lbheartbeat__ against the bare route, measured in interleaved rounds: every server
# runs at once (pinned to CPU 0, idle but for the one under load), and each round loads each in
# turn for a few seconds. A machine whose speed drifts or steps for seconds at a time then moves
# all servers of a round alike, and the median of the per-round ratios to the bare route is
# steadier than ratios between servers measured minutes apart. Method and figures:
# docs/benchmarks.md. Usage, after benchmarks/run.sh (or a package build) made the servers:
#
#   benchmarks/interleaved.sh            # 10 rounds of 2 s per server, after 15 s of warm-up each
#   ROUNDS=20 SECONDS_PER_RUN=3 benchmarks/interleaved.sh
#
# Load comes from wrk on 127.0.0.1 only; every run has a fixed duration.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
ROUNDS=${ROUNDS:-10}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}
WARMUP=${WARMUP:-15}
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
OUT=$ROOT/benchmarks/target/interleaved
if [[ ! -d $ROOT/benchmarks/target/classes ]]; then
    ./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true package -pl benchmarks -am
fi
command -v wrk > /dev/null || { echo "wrk is missing (benchmarks/run.sh installs it)" >&2; exit 1; }
SERVER_CPU=()
LOAD_CPU=()
if command -v taskset > /dev/null && [[ $(nproc) -ge 2 ]]; then
    SERVER_CPU=(taskset -c 0)
    LOAD_CPU=(taskset -c 1)
fi
rm -rf "$OUT"
mkdir -p "$OUT"

# variant, path: the bare route first, every ratio is to it
CONFIGS=("bare /bare" "filter /__lbheartbeat__" "dockerflow-quiet /__lbheartbeat__" "dockerflow /__lbheartbeat__")
# PIDS, the EXIT trap that stops them, await_200
source "$ROOT/benchmarks/processes.sh"

port_of() {
    echo $((18181 + $1))
}

for i in "${!CONFIGS[@]}"; do
    read -r variant path <<< "${CONFIGS[$i]}"
    "${SERVER_CPU[@]}" "$JAVA" -Xms256m -Xmx256m -cp "$CP" dev.dockerflow.benchmarks.http.HelidonServer \
        "$variant" "$(port_of "$i")" > "$OUT/$variant.log" 2>&1 &
    PIDS+=($!)
done
for i in "${!CONFIGS[@]}"; do
    await_200 "http://127.0.0.1:$(port_of "$i")/bare" "${PIDS[$i]}" 60
done

rps() { # <port> <path> <seconds>
    "${LOAD_CPU[@]}" wrk -t2 -c32 -d"$3"s "http://127.0.0.1:$1$2" | awk '/^Requests\/sec/ {print $2}'
}

echo "== warm-up: ${WARMUP}s per server"
for i in "${!CONFIGS[@]}"; do
    read -r variant path <<< "${CONFIGS[$i]}"
    rps "$(port_of "$i")" "$path" "$WARMUP" > /dev/null
done

echo "== $ROUNDS rounds, ${SECONDS_PER_RUN}s per server each"
: > "$OUT/rounds.tsv"
for round in $(seq 1 "$ROUNDS"); do
    line=$round
    for i in "${!CONFIGS[@]}"; do
        read -r variant path <<< "${CONFIGS[$i]}"
        line+=$'\t'$(rps "$(port_of "$i")" "$path" "$SECONDS_PER_RUN")
    done
    echo "$line" >> "$OUT/rounds.tsv"
    echo "   round $line" | tr '\t' ' '
done

echo "== medians over the rounds (ratio: median of each round's ratio to the bare route in that round)"
median() { # numbers on stdin, one per line
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for i in "${!CONFIGS[@]}"; do
    col=$((i + 2))
    m=$(cut -f"$col" "$OUT/rounds.tsv" | median)
    ratios=$(awk -F'\t' -v col="$col" '{ printf "%.4f\n", $col / $2 }' "$OUT/rounds.tsv" | sort -g)
    printf '   %-36s %8.0f req/s  ratio %.3f  (rounds: %.3f to %.3f)\n' "${CONFIGS[$i]}" "$m" \
        "$(median <<< "$ratios")" "$(head -1 <<< "$ratios")" "$(tail -1 <<< "$ratios")"
done
