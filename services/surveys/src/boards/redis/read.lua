-- A page that does not start at the top, or a member's neighbourhood: the
-- rows, the board's counts and the rank of the first row, in one round trip
-- and from one state of the board (a script runs alone). Every step is
-- O(log N + rows read).
--
-- KEYS[1]: the rows (sorted set of entries "<member> <score> <version> <payload>")
-- KEYS[2]: the members (hash: member -> its entry)
-- ARGV: 'page', start, count  |  'around', member, k
--
-- Returns nil when 'around' does not find the member, else
-- {total, ranked, start, better, {entry, ...}} where `better` counts the
-- ranked rows strictly better than the first one.
local rows, members = KEYS[1], KEYS[2]
local start, count
if ARGV[1] == 'around' then
  local entry = redis.call('HGET', members, ARGV[2])
  local at = entry and redis.call('ZRANK', rows, entry)
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

local total = redis.call('ZCARD', rows)
local ranked = redis.call('ZCOUNT', rows, '-inf', '(inf')
local entries = {}
if count > 0 then
  entries = redis.call('ZRANGE', rows, start, start + count - 1)
end

local better = 0
if #entries > 0 then
  local first = entries[1]
  local from = string.find(first, ' ', 1, true)
  local to = from and string.find(first, ' ', from + 1, true)
  if to then
    better = redis.call('ZCOUNT', rows, '-inf', '(' .. string.sub(first, from + 1, to - 1))
  end
end
return {total, ranked, start, better, entries}
