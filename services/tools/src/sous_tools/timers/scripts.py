"""Lua scripts that change a timer and publish its event in one atomic step.

Running the state change and the XADD together means an event is published exactly when the
change happens: never twice (two instances racing), never lost (a crash in between).
"""

from __future__ import annotations

_EVENT = """
local function timer_event(hash_key, kind, fired_at)
  local t = redis.call('HMGET', hash_key, 'id', 'session_id', 'label', 'duration_seconds',
                       'ends_at')
  local event = {v = 1, type = kind, timer_id = t[1], session_id = t[2], label = t[3],
                 duration_seconds = tonumber(t[4]), ends_at = t[5], fired_at = fired_at}
  return cjson.encode(event)
end
local function publish(stream, maxlen, event)
  redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'event', event)
end
"""

# KEYS: due, timer, session index, stream
# ARGV: id, session_id, label, duration, created_at, ends_at, ends_at_epoch, timer ttl,
#       index ttl, max active per session, stream maxlen
CREATE = (
    _EVENT
    + """
local active = 0
for _, status in ipairs(redis.call('HVALS', KEYS[3])) do
  if status == 'running' or status == 'paused' then active = active + 1 end
end
if active >= tonumber(ARGV[10]) then return 0 end
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'session_id', ARGV[2], 'label', ARGV[3],
           'duration_seconds', ARGV[4], 'status', 'running', 'created_at', ARGV[5],
           'ends_at', ARGV[6], 'ends_at_epoch', ARGV[7])
redis.call('EXPIRE', KEYS[2], ARGV[8])
redis.call('ZADD', KEYS[1], ARGV[7], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], 'running')
redis.call('EXPIRE', KEYS[3], ARGV[9])
publish(KEYS[4], ARGV[11], timer_event(KEYS[2], 'timer.set'))
return 1
"""
)

# KEYS: due, timer, session index, stream   ARGV: id, cancelled_at, keep ttl, stream maxlen
# Returns the status the timer had ('' when unknown); only running/paused timers change.
CANCEL = (
    _EVENT
    + """
local status = redis.call('HGET', KEYS[2], 'status')
if not status then return '' end
if status ~= 'running' and status ~= 'paused' then return status end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'status', 'cancelled', 'cancelled_at', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], 'cancelled')
publish(KEYS[4], ARGV[4], timer_event(KEYS[2], 'timer.cancelled'))
return status
"""
)

# KEYS: due, timer, session index   ARGV: id, now epoch, paused ttl
PAUSE = """
local status = redis.call('HGET', KEYS[2], 'status')
if status ~= 'running' then return status or '' end
local remaining = tonumber(redis.call('HGET', KEYS[2], 'ends_at_epoch')) - tonumber(ARGV[2])
if remaining <= 0 then return 'due' end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'status', 'paused', 'remaining_seconds', tostring(remaining))
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], 'paused')
return 'running'
"""

# KEYS: due, timer, session index
# ARGV: id, remaining the caller read, ends_at, ends_at_epoch, timer ttl
RESUME = """
local status = redis.call('HGET', KEYS[2], 'status')
if status ~= 'paused' then return status or '' end
if redis.call('HGET', KEYS[2], 'remaining_seconds') ~= ARGV[2] then return 'changed' end
redis.call('HSET', KEYS[2], 'status', 'running', 'ends_at', ARGV[3], 'ends_at_epoch', ARGV[4])
redis.call('HDEL', KEYS[2], 'remaining_seconds')
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], 'running')
return 'paused'
"""

# KEYS: due, timer, session index, stream   ARGV: id, now epoch, fired_at, keep ttl, maxlen
# Only the caller whose ZREM removes a due entry fires it: N schedulers, one firing.
FIRE = (
    _EVENT
    + """
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) > tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('HGET', KEYS[2], 'status') ~= 'running' then return 0 end
redis.call('HSET', KEYS[2], 'status', 'fired', 'fired_at', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[3], ARGV[1], 'fired')
publish(KEYS[4], ARGV[5], timer_event(KEYS[2], 'timer.fired', ARGV[3]))
return 1
"""
)
