-- Cycles through the request targets listed (one per line) in the file named by $PATHS.
-- $ETAGS (optional, same order) makes each request conditional (If-None-Match).
local paths, etags, i = {}, {}, 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local etag_file = os.getenv("ETAGS")
if etag_file and etag_file ~= "" then
  for line in io.lines(etag_file) do etags[#etags + 1] = line end
end
request = function()
  i = i % #paths + 1
  local headers = nil
  if #etags > 0 then headers = { ["If-None-Match"] = etags[i] } end
  return wrk.format("GET", paths[i], headers)
end
