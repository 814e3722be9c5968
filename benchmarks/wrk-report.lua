-- Prints one machine-readable line after a wrk run (read by benchmarks/run.sh).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f requests=%d socket_errors=%d non2xx=%d timeouts=%d mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    summary.requests / (summary.duration / 1e6), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status, e.timeout,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
