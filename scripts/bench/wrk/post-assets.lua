-- POST /api/v1/assets with a unique receipt number per request (wrk runs one Lua state per thread); with
-- IDEMPOTENCY_KEYS=1 each request also carries an Idempotency-Key of its own, as a careful client sends.
local counter = 0
local thread_tag = "x"
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tag", string.format("%d-%d", os.time(), threads))
end
init = function(args)
  thread_tag = tag
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local keyed = os.getenv("IDEMPOTENCY_KEYS") == "1"
request = function()
  counter = counter + 1
  local headers = nil
  if keyed then
    -- wrk.format takes the given headers instead of wrk.headers, not beside them.
    headers = {}
    for k, v in pairs(wrk.headers) do headers[k] = v end
    headers["Idempotency-Key"] = string.format("k-%s-%d", thread_tag, counter)
  end
  local body = string.format('{"kind":"WarehouseReceipt","ownerId":"owner-a","warehouseId":"wh-1","receiptNumber":"B-%s-%d","commodity":"crude oil","quantity":"1200.5","unit":"bbl"}', thread_tag, counter)
  return wrk.format(nil, "/api/v1/assets", headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n", summary.requests, summary.errors.status,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
