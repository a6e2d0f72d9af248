/**
 * Remembers a pure function's answers by its arguments joined as text. Calendar and clock facts are
 * asked for again and again (every level, every check, every ordning of a pool in the same weeks),
 * and luxon looks time-zone offsets up slowly. The cache is bounded: full, it starts afresh.
 * Answers are shared between callers, so they must be treated as read-only.
 */
export function memo<A extends (string | number)[], R>(fn: (...args: A) => R, limit = 50_000): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A) => {
    const key = args.join('|');
    let hit = cache.get(key);
    if (hit === undefined) {
      if (cache.size >= limit) cache.clear();
      hit = fn(...args);
      cache.set(key, hit);
    }
    return hit;
  };
}
