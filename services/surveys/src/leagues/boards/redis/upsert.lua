-- Puts rows on a board, each in place of its member's row unless that one
-- is of a higher version (a newer row that landed first).
--
-- KEYS[1]: the ranking (sorted set), KEYS[2]: the entries (hash)
-- ARGV: score, member, version, entry, score, member, version, entry, ...
local ranking, entries = KEYS[1], KEYS[2]

-- The version of an entry "<score> <version> <payload>".
local function version_of(entry)
  local first = string.find(entry, ' ', 1, true)
  local second = string.find(entry, ' ', first + 1, true)
  return tonumber(string.sub(entry, first + 1, second - 1))
end

for i = 1, #ARGV, 4 do
  local score, member, version, entry = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local old = redis.call('HGET', entries, member)
  if not (old and version_of(old) > version) then
    redis.call('ZADD', ranking, score, member)
    redis.call('HSET', entries, member, entry)
  end
end
return 1
