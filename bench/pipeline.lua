-- wrk script for HTTP/1.1 pipelining (the pipelined row of make bench): each
-- write carries DEPTH requests for the URL's path, and wrk counts every
-- response.
--   wrk -t1 -c64 -d5s -s bench/pipeline.lua http://127.0.0.1:PORT/plaintext -- 16
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format(nil)
  end
  req = table.concat(r)
end

request = function()
  return req
end
