-- wrk script for scripts/bench-intake: POSTs one body over and over, each request with its own
-- Idempotency-Key (a retry-safe client, as the apps are), and prints a JSON summary at the end.
-- The body, path and headers come from the environment (BENCH_PATH, BENCH_BODY, BENCH_CONTENT_TYPE,
-- BENCH_AUTHORIZATION, BENCH_RUN), so the harness needs no quoting.
local path = os.getenv("BENCH_PATH")
local body = os.getenv("BENCH_BODY")
local run = os.getenv("BENCH_RUN") or "r"
local headers = { ["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") }
local auth = os.getenv("BENCH_AUTHORIZATION")
if auth and auth ~= "" then headers["Authorization"] = auth end

local threads, next_id = {}, 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

local counter = 0
function request()
  counter = counter + 1
  headers["Idempotency-Key"] = run .. "-" .. tid .. "-" .. counter
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
