-- GET /skills?slug=... with $N (default 20) slugs drawn at random from the file named by $SLUGS
-- (one per line): every request a set never asked before (14,000 choose 20 makes a repeat
-- vanishingly unlikely), so no answer can come from the response cache. $SEED seeds the draw.
local slugs = {}
for line in io.lines(os.getenv("SLUGS")) do slugs[#slugs + 1] = line end
local n = tonumber(os.getenv("N") or "20")
math.randomseed(tonumber(os.getenv("SEED") or "13"))
request = function()
  local picked = {}
  for k = 1, n do picked[k] = slugs[math.random(#slugs)] end
  return wrk.format("GET", "/skills?slug=" .. table.concat(picked, ","))
end
