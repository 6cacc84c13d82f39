-- wrk script: every request carries its own pre-signed Authorization header, read from a file (one header
-- value per line) before the clock starts. Past the last line it starts over and counts the wrap, which
-- the runner reports: for a verifying server a repeated header is a replayed nonce.
--   wrk ... -s presigned.lua URL -- HEADERS_FILE METHOD PATH
local headers = {}
local method, path
local next_index = 0
wraps = 0
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  for line in io.lines(args[1]) do
    headers[#headers + 1] = line
  end
  method = args[2]
  path = args[3]
end

function request()
  next_index = next_index + 1
  if next_index > #headers then
    next_index = 1
    wraps = wraps + 1
  end
  return wrk.format(method, path, { ["Authorization"] = headers[next_index] }, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  local total_wraps = 0
  for _, thread in ipairs(threads) do
    total_wraps = total_wraps + thread:get("wraps")
  end
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"wraps":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, total_wraps))
end
