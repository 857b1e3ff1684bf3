-- Puts a staged board in place of the live one, atomically: readers see the
-- old board or the new one. Refuses (returns 0) when the staged keys do not
-- hold every row, e.g. because they expired before the swap.
--
-- KEYS[1], KEYS[2]: staged ranking and entries; KEYS[3], KEYS[4]: live ones
-- ARGV[1]: how many rows were staged
local n = tonumber(ARGV[1])
if redis.call('ZCARD', KEYS[1]) ~= n or redis.call('HLEN', KEYS[2]) ~= n then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 0
end
redis.call('RENAME', KEYS[1], KEYS[3])
redis.call('RENAME', KEYS[2], KEYS[4])
-- RENAME keeps the staged keys' expiry: the live board must not expire.
redis.call('PERSIST', KEYS[3])
redis.call('PERSIST', KEYS[4])
return 1
