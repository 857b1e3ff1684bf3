-- Puts rows on a board, each replacing its member's entry unless that entry
-- is of a higher version (a newer row that landed first).
--
-- KEYS[1]: the rows (sorted set of entries), KEYS[2]: the members (hash)
-- ARGV: score, member, version, entry, score, member, version, entry, ...
local rows, members = KEYS[1], KEYS[2]

-- The version of an entry "<member> <score> <version> <payload>".
local function version_of(entry)
  local first = string.find(entry, ' ', 1, true)
  local second = string.find(entry, ' ', first + 1, true)
  local third = string.find(entry, ' ', second + 1, true)
  return tonumber(string.sub(entry, second + 1, third - 1))
end

for i = 1, #ARGV, 4 do
  local score, member, version, entry = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local old = redis.call('HGET', members, member)
  if not (old and version_of(old) > version) then
    if old and old ~= entry then
      redis.call('ZREM', rows, old)
    end
    redis.call('ZADD', rows, score, entry)
    redis.call('HSET', members, member, entry)
  end
end
return 1
