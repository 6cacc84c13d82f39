-- wrk script: every request carries its own pre-signed Authorization header, read from a file (one header
-- value per line) before the clock starts. Past the last line it starts over and counts the wrap, which
-- the runner reports: for a verifying server a repeated header is a replayed nonce.
--
-- Each request is built whole before the clock starts, and Lua's collector is then stopped: request()
-- allocates nothing. It used to format each request as it went; with the 320,000 headers of a verifying
-- scenario held in Lua's heap, the collector's cycles stopped wrk for about 110-120 ms once or twice a
-- run, with the server's answers waiting unread, and wrk's p99 (which it corrects for coordinated
-- omission, so a stall counts as every request it held up) reported the generator's pause as the
-- server's: 43.3 ms where the packets on loopback gave 6.5 ms, corrected the same way (BENCHMARKS.md).
--   wrk ... -s presigned.lua URL -- HEADERS_FILE METHOD PATH
local prepared = {}
local next_index = 0
wraps = 0
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  local method, path = args[2], args[3]
  for line in io.lines(args[1]) do
    prepared[#prepared + 1] = wrk.format(method, path, { ["Authorization"] = line }, nil)
  end
  collectgarbage("collect")
  collectgarbage("stop")
  -- The runner counts the server's CPU from here: wrk's clock starts right after init (wrk.c).
  io.write("WRK_READY\n")
  io.flush()
end

function request()
  next_index = next_index + 1
  if next_index > #prepared then
    next_index = 1
    wraps = wraps + 1
  end
  return prepared[next_index]
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
  io.flush()
end
