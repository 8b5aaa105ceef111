-- wrk script: each request PUTs a new feeding with its own UUID (like phones replaying taps).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid)
end

local function uuid()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  counter = counter + 1
  local path = string.format("/api/v1/babies/%s/entries/%s", os.getenv("BABY") or "1", uuid())
  local body = string.format('{"kind": "feeding", "start": "%s", "details": {"method": "bottle", "amount_ml": %d}}',
    os.getenv("START") or "2026-01-01T10:00:00+02:00", 60 + counter % 100)
  return wrk.format("PUT", path, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d p50=%.2f p95=%.2f p99=%.2f duration_s=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1e6))
end
