-- GET the paths in $PATHS_FILE (one per line), round robin from a random start, as the regulator reg-0001: with its
-- bearer token ($TOKEN), or with a console session's cookies ($COOKIE) for the console's pages.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do if #line > 0 then paths[#paths + 1] = line end end
local i = math.random(1, #paths)
if os.getenv("COOKIE") then wrk.headers["Cookie"] = os.getenv("COOKIE") else wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", summary.requests, summary.errors.status,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
