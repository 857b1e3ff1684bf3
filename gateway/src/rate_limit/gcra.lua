-- One call against a key's quota, by GCRA (the algorithm of governor, the
-- gateway's local limiter): the key holds its theoretical arrival time (TAT),
-- in microseconds of Redis's clock, so that every gateway replica measures
-- against the same time.
--
-- KEYS[1]  the key's TAT
-- ARGV[1]  emission interval T: the time one call's share takes to refill (µs)
-- ARGV[2]  tolerance τ = T × (burst − 1) (µs)
--
-- Returns {1, 0} when the call conforms (and counts it), {0, wait} when it
-- does not, wait being the microseconds until one would. The key expires
-- when its TAT is past: an idle key is then as good as new, and vanishes.
local t = tonumber(ARGV[1])
local tau = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
local earliest = tat - tau
if now < earliest then
    return {0, earliest - now}
end
local next = math.max(tat, now) + t
redis.call('SET', KEYS[1], string.format('%d', next), 'PX', math.ceil((next - now) / 1000))
return {1, 0}
