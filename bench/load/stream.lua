-- wrk script for one stream of the mixed load test (bench/load/run.sh runs one wrk per stream,
-- one thread each). The stream is chosen by STREAM; RATE is its requests per second, held by
-- delay(): each request claims the next slot of a fixed schedule (LuaJIT ffi clock), so the
-- rate does not depend on the latency as long as enough connections are open.
--
-- STREAM = report   POST /api/v1/cases as the grid worker (TOKEN_GRID), points from POINTS,
--                   categories from CATEGORIES (comma-separated; all routed to the department
--                   the staff stream acts for)
--          staff    the closed loop on existing cases, ids CASE_BASE, CASE_BASE+1, …: the
--                   department (TOKEN_DEPT) starts and reports back, the street (TOKEN_STREET)
--                   verifies and closes; each step LAG rounds after the previous one
--          metrics  GET /api/v1/metrics?by=street (TOKEN_DISTRICT)
--          map      GET /api/v1/grids.geojson?area=STREET and /api/v1/grids/{GRID} (TOKEN_STREET)
--          o311     GET /open311/v2/services.json and requests.json (three kinds of query)
--          o311post POST /open311/v2/requests.json with API_KEY
-- done() prints `STREAM name requests=… p50_ms=… p99_ms=… non2xx=… socket_errors=…`.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } gz_timespec;
int clock_gettime(int clk_id, gz_timespec *tp);
]]
local ts = ffi.new("gz_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local stream = os.getenv("STREAM") or "o311"
local rate = tonumber(os.getenv("RATE") or "100")
local interval = 1000 / rate
local next_at = nil

function delay()
  local now = now_ms()
  if next_at == nil then next_at = now end
  local d = next_at - now
  next_at = next_at + interval
  if d < 0 then return 0 end
  return d
end

local function env(name)
  local v = os.getenv(name)
  if v == nil or v == "" then error("stream " .. stream .. " needs " .. name) end
  return v
end

local function split(s)
  local out = {}
  for part in s:gmatch("[^,]+") do out[#out + 1] = part end
  return out
end

local n = 0
local builders = {}

builders.report = function()
  local points, categories = {}, split(env("CATEGORIES"))
  for line in io.lines(env("POINTS")) do
    local lon, lat = line:match("([%d%.]+),([%d%.]+)")
    if lon then points[#points + 1] = { lon, lat } end
  end
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. env("TOKEN_GRID") }
  return function()
    local p = points[(n % #points) + 1]
    local body = string.format(
      '{"category":"%s","lon":%s,"lat":%s,"address":"负载测试地址%d号","description":"负载测试诉求 %d：路面破损需要修补","channel":"grid_patrol"}',
      categories[(n % #categories) + 1], p[1], p[2], n, n)
    return wrk.format("POST", "/api/v1/cases", headers, body)
  end
end

builders.staff = function()
  local base, lag = tonumber(env("CASE_BASE")), tonumber(os.getenv("LAG") or "150")
  local dept = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. env("TOKEN_DEPT") }
  local street = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. env("TOKEN_STREET") }
  -- Round r starts case base+r, reports back case base+r-lag, verifies base+r-2·lag and
  -- closes base+r-3·lag: a case moves one step every `lag` rounds.
  local steps = {
    { 0, dept, '{"command":"start"}' },
    { 1, dept, '{"command":"report_back","note":"已修补完毕"}' },
    { 2, street, '{"command":"verify","passed":true,"note":"现场核查通过"}' },
    { 3, street, '{"command":"close"}' },
  }
  local round, step = 0, 1
  return function()
    while true do
      local s = steps[step]
      local id = base + round - s[1] * lag
      step = step + 1
      if step > #steps then step, round = 1, round + 1 end
      if id >= base then
        return wrk.format("POST", "/api/v1/cases/" .. id .. "/commands", s[2], s[3])
      end
    end
  end
end

builders.metrics = function()
  local headers = { ["Authorization"] = "Bearer " .. env("TOKEN_DISTRICT") }
  return function()
    return wrk.format("GET", "/api/v1/metrics?by=street", headers)
  end
end

builders.map = function()
  local headers = { ["Authorization"] = "Bearer " .. env("TOKEN_STREET") }
  local area, grid = env("STREET"), env("GRID")
  return function()
    if n % 2 == 0 then
      return wrk.format("GET", "/api/v1/grids.geojson?area=" .. area, headers)
    end
    return wrk.format("GET", "/api/v1/grids/" .. grid, headers)
  end
end

builders.o311 = function()
  -- Mostly the service list and small pages of requests; one request in 100 is the spec's
  -- default page (the last 90 days, up to 1,000 requests), as an aggregator's full poll.
  local paths = {
    "/open311/v2/services.json",
    "/open311/v2/requests.json?page_size=20",
    "/open311/v2/services.json",
    "/open311/v2/requests.json?status=open&page_size=20",
    "/open311/v2/services.json",
    "/open311/v2/requests.json?page_size=50",
    "/open311/v2/services.json",
    "/open311/v2/requests.json?status=open&page_size=20",
    "/open311/v2/requests.json?page_size=20",
  }
  return function()
    if n % 100 == 0 then
      return wrk.format("GET", "/open311/v2/requests.json")
    end
    return wrk.format("GET", paths[(n % #paths) + 1])
  end
end

builders.o311post = function()
  local points, categories = {}, split(env("CATEGORIES"))
  for line in io.lines(env("POINTS")) do
    local lon, lat = line:match("([%d%.]+),([%d%.]+)")
    if lon then points[#points + 1] = { lon, lat } end
  end
  local key = env("API_KEY")
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  return function()
    local p = points[((n * 7) % #points) + 1]
    local body = string.format(
      "api_key=%s&service_code=%s&lat=%s&long=%s&description=%s",
      key, categories[(n % #categories) + 1], p[2], p[1], "Open311%20load%20test%20" .. n)
    return wrk.format("POST", "/open311/v2/requests.json", headers, body)
  end
end

local build = nil

function init(args)
  build = assert(builders[stream], "unknown STREAM " .. stream)()
end

function request()
  n = n + 1
  return build()
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and os.getenv("SHOW_ERRORS") and (statuses[status] <= 3) then
    io.stderr:write(string.format("[%s] %d %s\n", stream, status, body:sub(1, 300)))
  end
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local non2xx, codes = 0, {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, count in pairs(s) do
      if code < 200 or code >= 300 then non2xx = non2xx + count end
      codes[#codes + 1] = code .. ":" .. count
    end
  end
  table.sort(codes)
  local e = summary.errors
  io.write(string.format(
    "STREAM %s requests=%d duration_s=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.1f non2xx=%d socket_errors=%d codes=%s\n",
    stream, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non2xx, e.connect + e.read + e.write + e.timeout, table.concat(codes, ",")))
end
