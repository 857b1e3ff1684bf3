-- Takes members off a board.
--
-- KEYS[1]: the rows (sorted set of entries), KEYS[2]: the members (hash)
-- ARGV: member, member, ...
local rows, members = KEYS[1], KEYS[2]
for _, member in ipairs(ARGV) do
  local old = redis.call('HGET', members, member)
  if old then
    redis.call('ZREM', rows, old)
    redis.call('HDEL', members, member)
  end
end
return 1
