-- wrk script: many families at once. FAMILIES is "cookie|csrf|baby;cookie|csrf|baby;...".
-- Each request picks a family; 4 in 5 log an entry (PUT, new UUID), 1 in 5 reads the rhythm page.
local families = {}
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid)
  for item in string.gmatch(os.getenv("FAMILIES") or "", "[^;]+") do
    local cookie, csrf, baby = string.match(item, "([^|]+)|([^|]+)|([^|]+)")
    table.insert(families, { cookie = cookie, csrf = csrf, baby = baby })
  end
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    return string.format("%x", (c == "x") and math.random(0, 15) or math.random(8, 11))
  end))
end

request = function()
  local f = families[math.random(1, #families)]
  local headers = { ["Cookie"] = "companion_session=" .. f.cookie }
  if math.random(1, 5) == 1 then
    return wrk.format("GET", "/diary/" .. f.baby .. "/rhythm", headers, nil)
  end
  headers["X-CSRFToken"] = f.csrf
  headers["Content-Type"] = "application/json"
  local body = string.format('{"kind": "feeding", "start": "%s", "details": {"method": "breast"}}',
    os.getenv("START") or "2026-01-01T10:00:00+02:00")
  return wrk.format("PUT", "/api/v1/babies/" .. f.baby .. "/entries/" .. uuid(), headers, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d p50=%.2f p95=%.2f p99=%.2f duration_s=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.duration / 1e6))
end
