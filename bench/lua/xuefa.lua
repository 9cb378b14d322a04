-- wrk script of bench/load_bench.py. Arguments (after --): data file, mode, threads, requests per thread,
-- first seq (autosave).
-- The data file (written by the harness) returns {items = {{token=..., path=..., qs={...}}, ...}}; each wrk
-- thread takes every n-th item, so an attempt belongs to one thread and its seq only grows.
-- Modes: get (cycle GETs), autosave (PUTs with growing seq).
-- Bounded: wrk's -d in time, and each thread stops after its share of requests.
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  local data = dofile(args[1])
  mode = args[2]
  local nthreads = tonumber(args[3])
  limit = tonumber(args[4])
  mine = {}
  for i = tid + 1, #data.items, nthreads do
    mine[#mine + 1] = data.items[i]
  end
  if #mine == 0 then  -- fewer items than threads (the ceiling: one URL)
    mine = data.items
  end
  idx, sent, received = 0, 0, 0
  seq = tonumber(args[5] or "0")
end

function request()
  idx = idx % #mine + 1
  sent = sent + 1
  local it = mine[idx]
  local headers = {["X-Session-Token"] = it.token}
  if mode == "get" then
    return wrk.format("GET", it.path, headers)
  else
    seq = seq + 1
    local q = it.qs[(math.floor((sent - 1) / #mine) % #it.qs) + 1]
    headers["Content-Type"] = "application/json"
    local letter = (seq % 2 == 0) and "A" or "B"
    return wrk.format("PUT", it.path .. q, headers, '{"choices":["' .. letter .. '"],"seq":' .. seq .. '}')
  end
end

function response(status, headers, body)
  received = received + 1
  if received >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'XUEFA-RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"status_errors":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
