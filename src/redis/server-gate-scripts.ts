/**
 * The Lua side of RedisRateLimiter's shared server gate: atomic scripts over one Redis hash (and an in-flight sorted
 * set) per id, registered on the ioredis client as commands.
 */
import type { Redis } from 'ioredis';

/** Published on bottleneck's channel for the id (its `message` event) when the server budget grows. */
export const WAKE_MESSAGE = 'gc-data:wake';

/*
 * The shared server gate: the same bookkeeping as LocalRateLimiter's, kept in one Redis hash so that every
 * worker spends from, resets and pauses one budget. `available` is what the last response said is left less what
 * has left since (absent = not known); `pausedUntil` holds everyone; `refill` says a pause has to be turned into
 * `availableAfter` (the window allowance) by the first request after it. The in-flight set holds one member per
 * request past the gate, scored with an expiry so a crashed worker's requests stop counting.
 */
const GATE_HELPERS = `
local function live_in_flight(key, now)
  redis.call('zremrangebyscore', key, '-inf', now)
  return redis.call('zcard', key)
end
local function touch(ttl, ...)
  for _, k in ipairs({...}) do redis.call('pexpire', k, ttl) end
end
`;

/**
 * KEYS: gate, in-flight. ARGV: now, expiry ms, poll ms, ttl ms.
 * Returns {0, ticket} (passed: one unit spent, the request is in flight as member `ticket`), {> 0} (paused: wait that
 * long) or {< 0} (spent: ask again after that long, or when woken). A request that leaves with nothing else on the
 * wire is marked `solo`: if nothing else leaves before its answer, that answer is exact (see OBSERVE_LUA).
 */
const GATE_LUA = `${GATE_HELPERS}
local now = tonumber(ARGV[1])
local in_flight = live_in_flight(KEYS[2], now)
local g = redis.call('hmget', KEYS[1], 'pausedUntil', 'available', 'refill', 'availableAfter')
local paused = tonumber(g[1]) or 0
if paused > now then return {paused - now} end
local available = tonumber(g[2])
if g[3] == '1' then
  available = tonumber(g[4])
  redis.call('hdel', KEYS[1], 'refill', 'availableAfter', 'available')
  if available ~= nil then redis.call('hset', KEYS[1], 'available', available) end
end
local pass = false
if available == nil then
  pass = true
elseif available > 0 then
  redis.call('hincrby', KEYS[1], 'available', -1)
  pass = true
elseif in_flight == 0 then
  -- Spent, and nothing on the wire will say how much the server refilled meanwhile: one request goes alone to ask.
  -- (Servers without budget headers never get here: their budget stays unknown, nil.)
  pass = true
end
if not pass then return {-tonumber(ARGV[3])} end
local ticket = redis.call('hincrby', KEYS[1], 'ticket', 1)
if in_flight == 0 then redis.call('hset', KEYS[1], 'solo', ticket) end
redis.call('zadd', KEYS[2], now + tonumber(ARGV[2]), ticket)
touch(tonumber(ARGV[4]), KEYS[1], KEYS[2])
return {0, ticket}
`;

/**
 * KEYS: gate, in-flight. ARGV: now, remaining, ticket (0 = unknown), ttl ms, channel. Returns what may still leave.
 *
 * Answers cross each other: across processes a request can reach the server before one that left earlier and be
 * answered after it, so neither tickets nor arrival order say which answer is the latest state. An answer is
 * therefore only allowed to lower the budget (less what is still on the wire, which will spend it too), except the
 * answer of a request that was alone on the wire from start to finish: that one is exact, and may raise it. Such
 * a request goes out when the budget is spent and the wire is empty (see the gate), so the server's refill is used.
 */
const OBSERVE_LUA = `${GATE_HELPERS}
local now = tonumber(ARGV[1])
local ticket = tonumber(ARGV[3])
local in_flight = live_in_flight(KEYS[2], now)
local available = math.max(0, math.floor(tonumber(ARGV[2])) - math.max(0, in_flight - 1))
local g = redis.call('hmget', KEYS[1], 'available', 'solo', 'ticket')
local before = tonumber(g[1] or '')
local solo = ticket > 0 and tonumber(g[2] or '') == ticket and tonumber(g[3] or '') == ticket and in_flight <= 1
if solo then redis.call('hdel', KEYS[1], 'solo') end
if before ~= nil and not solo and before < available then available = before end
redis.call('hset', KEYS[1], 'available', available)
touch(tonumber(ARGV[4]), KEYS[1])
if before == 0 and available > 0 then redis.call('publish', ARGV[5], 'message:${WAKE_MESSAGE}') end
return available
`;

/**
 * KEYS: gate, in-flight. ARGV: now, until ms, allowance ('' = unknown), ttl ms, 1 if called by a request in flight.
 * Returns the pause in force. What is on the wire now lands during the pause and spends the refill, so the budget
 * after it is the allowance less those requests.
 */
const PAUSE_LUA = `${GATE_HELPERS}
local now = tonumber(ARGV[1])
local until_ms = tonumber(ARGV[2])
local current = tonumber(redis.call('hget', KEYS[1], 'pausedUntil') or '0') or 0
if until_ms < current then until_ms = current end
redis.call('hset', KEYS[1], 'pausedUntil', until_ms, 'available', 0, 'refill', 1)
if ARGV[3] ~= '' then
  local others = math.max(0, live_in_flight(KEYS[2], now) - tonumber(ARGV[5]))
  redis.call('hset', KEYS[1], 'availableAfter', math.max(0, math.floor(tonumber(ARGV[3])) - others))
else
  redis.call('hdel', KEYS[1], 'availableAfter')
end
touch(tonumber(ARGV[4]), KEYS[1])
return until_ms
`;

export type ScriptClient = Redis & {
  gcDataGate(gate: string, inFlight: string, ...args: Array<string | number>): Promise<[number, number?]>;
  gcDataObserve(gate: string, inFlight: string, ...args: Array<string | number>): Promise<number>;
  gcDataPause(gate: string, inFlight: string, ...args: Array<string | number>): Promise<number>;
};

/** Registers the gate's scripts on `client` (idempotent per client) and returns it typed with them. */
export function defineGateScripts(client: Redis): ScriptClient {
  const c = client as ScriptClient;
  c.defineCommand('gcDataGate', { numberOfKeys: 2, lua: GATE_LUA });
  c.defineCommand('gcDataObserve', { numberOfKeys: 2, lua: OBSERVE_LUA });
  c.defineCommand('gcDataPause', { numberOfKeys: 2, lua: PAUSE_LUA });
  return c;
}
