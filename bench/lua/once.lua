-- Sends each request target listed (one per line) in the file named by $PATHS at most once, in
-- order, so that no response can come from a cache: every request is a search never seen before.
-- The thread stops itself before the list runs out, with a margin ($MARGIN, default 256) of more
-- than one request per connection. wrk still divides by the whole -d, so a run that used up the
-- list understates req/s: bench/run.sh throws such a run away and runs again for less time.
-- No response() callback: it would make wrk parse every body, slowing the load generator and
-- biasing the comparison with the ceiling's run (bench/lua/paths.lua has none either).
local paths, i = {}, 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local last = #paths - tonumber(os.getenv("MARGIN") or "256")
request = function()
  i = i + 1
  if i == last then wrk.thread:stop() end
  return wrk.format("GET", paths[math.min(i, #paths)])
end
