-- wrk: GET $BENCH_PATH<random user in 1..$BENCH_USERS>, a different random sequence per thread.
local users = tonumber(os.getenv("BENCH_USERS") or "1000")
local path = os.getenv("BENCH_PATH") or "/auth/token/"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  return wrk.format("GET", path .. math.random(1, users))
end
