-- wrk script for the Sous benchmarks: cycles through the requests listed in a file, one per
-- line as "METHOD PATH [JSON BODY]", and prints a JSON summary when done.
local requests = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path, body = line:match("^(%S+) (%S+) ?(.*)$")
    if body == "" then body = nil end
    local headers = {}
    if body then headers["Content-Type"] = "application/json" end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  counter = math.random(#requests)
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}, "latency_us": {"p50": %d, "p90": %d, "p99": %d, ' ..
    '"max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
