-- Sends each request target listed (one per line) in the file named by $PATHS at most once, in
-- order, so that no response can come from a cache: every request is a search never seen before.
-- The thread stops itself before the list runs out (with a margin of more than one request per
-- connection), so a run shorter than -d means the list was used up; wrk's own count and
-- Requests/sec then cover the requests actually made.
local paths, i = {}, 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local margin = tonumber(os.getenv("MARGIN") or "256")
local stopping = false
request = function()
  i = i + 1
  return wrk.format("GET", paths[i])
end
response = function(status, headers, body)
  if not stopping and i >= #paths - margin then
    stopping = true
    wrk.thread:stop()
  end
end
