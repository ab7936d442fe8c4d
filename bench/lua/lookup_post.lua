-- POST /skills/lookup with $N (default 1000) ids: half slugs from the file named by $SLUGS, half
-- source URIs from the file named by $URIS (one per line). $FRESH=1 draws a new set for every
-- request (never cached); otherwise every request sends the same body (answered from the cache
-- after the first, as a client polling its CV's skills would be).
local function lines(name)
  local out = {}
  for line in io.lines(os.getenv(name)) do out[#out + 1] = line end
  return out
end
local slugs, uris = lines("SLUGS"), lines("URIS")
local n = tonumber(os.getenv("N") or "1000")
local fresh = os.getenv("FRESH") == "1"
local half = math.floor(n / 2)
math.randomseed(tonumber(os.getenv("SEED") or "13"))
local function quoted(list, count)
  local out = {}
  for k = 1, count do out[k] = '"' .. list[math.random(#list)] .. '"' end
  return table.concat(out, ",")
end
local function body()
  return '{"slugs":[' .. quoted(slugs, half) .. '],"uris":[' .. quoted(uris, n - half) .. ']}'
end
local headers = { ["Content-Type"] = "application/json" }
local fixed = body()
request = function()
  return wrk.format("POST", "/skills/lookup", headers, fresh and body() or fixed)
end
