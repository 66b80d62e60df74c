-- The mixed load: 70 % reads (GET /api/v1/assets/{id} and GET /api/v1/trace/assets/{id}, by a regulator), 30 % lifecycle
-- commands, each asset taken through register (owner-a) → confirm (wh-1, tc-1) → pledge (owner-a to bank-1) → return
-- (bank-1) → transfer (offer by owner-a, accept by buyer-b). An asset's next step is sent only after its last one was
-- answered, so every command is one the rules allow; an answer that is not 2xx drops the asset. Each wrk thread keeps its
-- own assets (wrk runs one Lua state per thread). Tokens from TOKEN_OWNER, TOKEN_WH, TOKEN_TC, TOKEN_BANK, TOKEN_BUYER,
-- TOKEN_REG; RUN_TAG keeps receipt numbers of several processes or runs apart. MIXED_COMMANDS (default 0.3) is the share
-- of commands and MIXED_READS (both, asset or trace; default both) the reads sent, for bench-api.sh's split mode, which
-- tells the cost of each kind of request apart. MIXED_STATE names a file that carries the assets read from one run to the
-- next (bench-mixed.sh passes one per API process): a run starts reading the assets the last one read (up to 4,096 per
-- thread) and writes its own at its end. Without it every run starts cold: its first requests are all registrations, then
-- every connection reads the same few new assets until more are known.
local threads = {}
setup = function(thread)
  thread:set("tag", string.format("%s-%d", os.getenv("RUN_TAG") or os.time(), #threads + 1))
  thread:set("index", #threads + 1)
  table.insert(threads, thread)
end

local tokens = {}
for _, who in ipairs({ "OWNER", "WH", "TC", "BANK", "BUYER", "REG" }) do tokens[who] = "Bearer " .. os.getenv("TOKEN_" .. who) end
local json = "application/json"
-- step n answers the asset's step n - 1: {who, path suffix, body}
local steps = {
  nil,
  { "WH", "/confirmations", '{"approve":true}' },
  { "TC", "/confirmations", '{"approve":true}' },
  { "OWNER", "/transfer-out", '{"venueId":"bank-1","purpose":"Financing"}' },
  { "BANK", "/return", "{}" },
  { "OWNER", "/transfer-offer", '{"toId":"buyer-b"}' },
  { "BUYER", "/transfer-offer/accept", "{}" },
}

local command_share = tonumber(os.getenv("MIXED_COMMANDS") or "0.3")
local read_kind = os.getenv("MIXED_READS") or "both"
local trace_share = ({ both = 0.5, asset = 0, trace = 1 })[read_kind]

local counter, known, ready, next_step = 0, {}, {}, {}
commands, reads, server_errors, refused, not_yet_projected = 0, 0, 0, 0, 0

local function post(who, path, body)
  return wrk.format("POST", path, { ["Authorization"] = tokens[who], ["Content-Type"] = json }, body)
end

-- The assets the thread reads, as text for done() (wrk hands only numbers and strings from a thread), renewed every 256.
local carried = 4096
kept = ""
local function keep() kept = table.concat(known, "\n", math.max(1, #known - carried + 1), #known) end

-- The last run's assets (MIXED_STATE), shared out over the threads by line; wrk runs two threads here (MIXED_THREADS if not).
init = function(args)
  counter = 0
  local state, n = os.getenv("MIXED_STATE"), tonumber(os.getenv("MIXED_THREADS") or "2")
  local f = state and state ~= "" and io.open(state, "r")
  if not f then return end
  local i = 0
  for line in f:lines() do
    i = i + 1
    if i % n == index % n and line:match("^%x+$") then table.insert(known, line) end
  end
  f:close()
  keep()
end

request = function()
  if #known == 0 or math.random() < command_share then
    commands = commands + 1
    local id = table.remove(ready, 1)
    if id then
      local s = steps[next_step[id]]
      return post(s[1], "/api/v1/assets/" .. id .. s[2], s[3])
    end
    counter = counter + 1
    return post("OWNER", "/api/v1/assets", string.format(
      '{"kind":"WarehouseReceipt","ownerId":"owner-a","warehouseId":"wh-1","receiptNumber":"M-%s-%d","commodity":"crude oil","quantity":"1200.5","unit":"bbl"}',
      tag, counter))
  end
  reads = reads + 1
  local id = known[math.random(1, #known)]
  local path = math.random() < trace_share and "/api/v1/trace/assets/" or "/api/v1/assets/"
  return wrk.format("GET", path .. id, { ["Authorization"] = tokens.REG })
end

response = function(status, headers, body)
  -- A trace read that overtook the read models is told to retry (503 trace.not_yet_projected): counted apart, not as a fault.
  if status == 503 and body:find('"trace.not_yet_projected"', 1, true) then not_yet_projected = not_yet_projected + 1
  elseif status >= 500 then server_errors = server_errors + 1 elseif status >= 400 then refused = refused + 1 end
  if status < 200 or status > 201 then return end
  local id = body:match('^{"assetId":"(%x+)","version":%d+,"status":"%a+","events":')
  if not id then return end -- a read's answer, not a command's
  local step = (next_step[id] or 1) + 1
  -- Read only once a later step was answered: by then the read models have usually taken its registration.
  if step == 3 then
    table.insert(known, id)
    if #known % 256 == 0 then keep() end
  end
  if step <= #steps then
    next_step[id] = step
    table.insert(ready, id)
  else
    next_step[id] = nil
  end
end

done = function(summary, latency, requests)
  local c, r, e, x, n = 0, 0, 0, 0, 0
  local state = os.getenv("MIXED_STATE")
  local f = state and state ~= "" and io.open(state, "w")
  for _, t in ipairs(threads) do
    c = c + t:get("commands"); r = r + t:get("reads"); e = e + t:get("server_errors"); x = x + t:get("refused")
    n = n + t:get("not_yet_projected")
    if f and t:get("kept") ~= "" then f:write(t:get("kept"), "\n") end
  end
  if f then f:close() end
  io.write(string.format("RESULT requests=%d errors_status=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f commands=%d reads=%d server_errors=%d refused=%d not_yet_projected=%d\n",
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, c, r, e, x, n))
end
