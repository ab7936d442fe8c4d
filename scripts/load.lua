-- Mixed workload for scripts/load.sh: lists, details, search, autocomplete, extraction and
-- 304 revalidations. Counts 5xx separately (wrk itself reports non-2xx/3xx).
local etag = nil
local n = 0
server_errors = 0 -- a global: done() reads it from each thread
local threads = {}

local gets = {
  "/skills", "/skills?category=ai,blockchain&limit=2", "/skills?limit=3&offset=3", "/categories",
  "/categories/ai", "/skills/nlp", "/faqs?category=ecommerce", "/faqs/1", "/",
  "/skills?q=machine%20learning", "/skills?q=machne%20lerning", "/search?q=blockchain",
  "/search?q=smart%20contracts&type=skill", "/skills/autocomplete?q=mach", "/skills/autocomplete?q=s",
}
local extract_body = '{"text": "Hiring an ML engineer with SEO and smart contracts experience, NLP a plus."}'

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  etag = args[1]
end

function request()
  n = n + 1
  local slot = n % 20
  if slot < 15 then
    return wrk.format("GET", gets[slot + 1])
  elseif slot < 18 then
    return wrk.format("POST", "/skills/extract", { ["Content-Type"] = "application/json" }, extract_body)
  else
    return wrk.format("GET", "/skills", { ["If-None-Match"] = etag })
  end
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local total5xx = 0
  for _, t in ipairs(threads) do
    total5xx = total5xx + t:get("server_errors")
  end
  io.write(string.format("5xx responses: %d\n", total5xx))
end
