-- Shared by the wrk scripts: one JSON line with the figures web_load.py reads.
local report = {}

function report.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, '
      .. '"p99_ms": %.2f, "max_ms": %.2f, "errors_status": %d, "errors_connect": %d, '
      .. '"errors_read": %d, "errors_write": %d, "errors_timeout": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, e.status, e.connect, e.read, e.write, e.timeout))
end

return report
