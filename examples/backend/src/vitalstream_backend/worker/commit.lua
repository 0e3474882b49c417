-- commit.lua: the one atomic write of a worker. Compare-and-set on the patient's (session,
-- next_seq): the outcome of one shard entry (new blob, sequence, status, events) is written only
-- if no other worker committed that entry first; so a chunk changes the state exactly once.
-- KEYS: 1 state hash, 2 events stream, 3 alarm outbox list (all in the patient's hash slot)
-- ARGV: expected session ('' = none), expected next_seq ('' = none), patient, new session,
--       events maxlen, live channel, live payload ('' = none),
--       nset, nset x (field, value), ndel, ndel x field, nev, nev x event
--       (an event is one argument, field NUL value NUL field NUL value ...: a few arguments per
--       commit instead of ~35 per beat keeps the client's command packing cheap)
local cur = redis.call('HMGET', KEYS[1], 'session', 'next_seq', 'ord')
local cs, cn = cur[1] or '', cur[2] or ''
if cs ~= ARGV[1] or cn ~= ARGV[2] then
  return {0, cs, cn}
end
local ord = tonumber(cur[3] or '0')
if not cur[3] then
  -- state deleted but events kept: continue after the last event id so XADD ids stay increasing
  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if last[1] then ord = tonumber(string.match(last[1][1], '^(%d+)')) end
end
ord = ord + 1
local patient, session, maxlen = ARGV[3], ARGV[4], ARGV[5]
local live, payload = ARGV[6], ARGV[7]
local i = 8
local hs = {'ord', tostring(ord)}
local nset = tonumber(ARGV[i]); i = i + 1
for _ = 1, nset do
  hs[#hs + 1] = ARGV[i]; hs[#hs + 1] = ARGV[i + 1]; i = i + 2
end
redis.call('HSET', KEYS[1], unpack(hs))
local ndel = tonumber(ARGV[i]); i = i + 1
for _ = 1, ndel do
  redis.call('HDEL', KEYS[1], ARGV[i]); i = i + 1
end
local nev = tonumber(ARGV[i]); i = i + 1
for k = 0, nev - 1 do
  local s, f, p = ARGV[i], {}, 1
  i = i + 1
  while true do
    local q = string.find(s, '\0', p, true)
    if not q then f[#f + 1] = string.sub(s, p); break end
    f[#f + 1] = string.sub(s, p, q - 1); p = q + 1
  end
  local alarm = false
  for j = 1, #f - 1, 2 do
    if f[j] == 'type' then
      local v = f[j + 1]
      alarm = v == 'alarm' or v == 'alarm_end' or v == 'technical'
    end
  end
  local id = ord .. '-' .. k
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxlen, id, unpack(f))
  if alarm then
    f[#f + 1] = 'patient'; f[#f + 1] = patient
    f[#f + 1] = 'alarm_id'; f[#f + 1] = patient .. ':' .. session .. ':' .. id
    redis.call('RPUSH', KEYS[3], cjson.encode(f))
  end
end
if payload ~= '' then redis.call('PUBLISH', live, payload) end
return {1, ord, redis.call('LRANGE', KEYS[3], 0, -1)}
