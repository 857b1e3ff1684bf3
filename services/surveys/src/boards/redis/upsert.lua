-- Puts rows on a board, each replacing its member's previous entry.
--
-- KEYS[1]: the rows (sorted set of entries), KEYS[2]: the members (hash)
-- ARGV: score, member, entry, score, member, entry, ...
local rows, members = KEYS[1], KEYS[2]
for i = 1, #ARGV, 3 do
  local score, member, entry = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local old = redis.call('HGET', members, member)
  if old and old ~= entry then
    redis.call('ZREM', rows, old)
  end
  redis.call('ZADD', rows, score, entry)
  redis.call('HSET', members, member, entry)
end
return 1
