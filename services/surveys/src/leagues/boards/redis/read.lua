-- A page of a board, or a member's neighbourhood: the rows, the board's
-- counts and the rank of the first row, in one round trip and from one
-- state of the board (a script runs alone). Every step is
-- O(log N + rows read).
--
-- KEYS[1]: the ranking (sorted set: member -> score)
-- KEYS[2]: the entries (hash: member -> "<score> <version> <payload>")
-- ARGV: 'page', start, count  |  'around', member, k
--
-- Returns nil when 'around' does not find the member, else
-- {total, ranked, start, better, {member, entry, member, entry, ...}} where
-- `better` counts the ranked rows strictly better than the first one.
local ranking, entries = KEYS[1], KEYS[2]
local start, count
if ARGV[1] == 'around' then
  local at = redis.call('ZRANK', ranking, ARGV[2])
  if not at then
    return false
  end
  local k = tonumber(ARGV[3])
  start = math.max(at - k, 0)
  count = at - start + k + 1
else
  start = tonumber(ARGV[2])
  count = tonumber(ARGV[3])
end

local total = redis.call('ZCARD', ranking)
local ranked = redis.call('ZCOUNT', ranking, '-inf', '(inf')
local members = {}
if count > 0 then
  members = redis.call('ZRANGE', ranking, start, start + count - 1)
end

local rows = {}
local better = 0
if #members > 0 then
  local found = redis.call('HMGET', entries, unpack(members))
  for i, member in ipairs(members) do
    rows[2 * i - 1] = member
    rows[2 * i] = found[i]
  end
  local first = redis.call('ZSCORE', ranking, members[1])
  better = redis.call('ZCOUNT', ranking, '-inf', '(' .. first)
end
return {total, ranked, start, better, rows}
