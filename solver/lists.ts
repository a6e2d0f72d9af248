/**
 * Appends `value` to the list under `key`. In place: copying the list on every append (as
 * `[...(map.get(key) ?? []), value]` does) is quadratic in a list's length, and a pool member's
 * bookings elsewhere make long lists.
 */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
