-- Every request a distinct target ($PREFIX followed by an increasing number), so that no
-- response can come from a cache.
local prefix, n = os.getenv("PREFIX"), 0
request = function()
  n = n + 1
  return wrk.format("GET", prefix .. n)
end
