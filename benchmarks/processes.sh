# Sourced by the benchmark scripts that start several processes (benchmarks/drain-haproxy.sh,
# benchmarks/interleaved.sh), not run on its own: the processes they start, stopped when the
# script exits however it exits, and the wait for one of them to answer.

# Processes a script started and stops at exit: add each with PIDS+=($!).
PIDS=()

# stop_started: kills every process in PIDS, then waits for each (the scripts' EXIT trap)
stop_started() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2> /dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2> /dev/null || true
    done
}
trap stop_started EXIT

# await_200 <url> <pid> [seconds]: waits for a 200 from the url while the process lives, at most
# that many seconds (default 90); fails, naming the url, otherwise
await_200() {
    local deadline=$((SECONDS + ${3:-90}))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "$1" || true) == 200 ]]; do
        if ! kill -0 "$2" 2> /dev/null || ((SECONDS > deadline)); then
            echo "no 200 from $1" >&2
            return 1
        fi
        sleep 0.1
    done
}
