-- wrk script: POST located reports (points inside the demo grids, read from points.txt) as the
-- demo grid worker's bearer token; every request goes through intake, registration and dispatch.
local points = {}
for line in io.lines(os.getenv("POINTS") or "points.txt") do
  local lon, lat = line:match("([%d%.]+),([%d%.]+)")
  if lon then points[#points + 1] = { lon, lat } end
end
local token = os.getenv("TOKEN")
local counter = 0
local categories = { "E0102", "E0103", "E0105", "C0201", "E0501" }

request = function()
  counter = counter + 1
  local p = points[(counter % #points) + 1]
  local cat = categories[(counter % #categories) + 1]
  local body = string.format(
    '{"category":"%s","lon":%s,"lat":%s,"address":"压测地址%d号","description":"压测诉求 %d：道路不洁需要清扫","channel":"grid_patrol"}',
    cat, p[1], p[2], counter, counter)
  return wrk.format("POST", "/api/v1/cases", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
