import { describe, expect, it } from 'vitest';
import type { ExternalBooking } from '../solver/result.ts';
import { poolStoreFor } from './helpers/pool-store.ts';

const DAY = 86_400_000;
const shift = (scheduleId: string, assistantId: string, daysFromNow: number): ExternalBooking => {
  const start = new Date(Date.now() + daysFromNow * DAY);
  return { assistantId, ordningId: `o-${scheduleId}`, scheduleId, shiftId: `day@${daysFromNow}`, start: start.toISOString(), end: new Date(start.getTime() + 8 * 3_600_000).toISOString(), kind: 'active' };
};

describe.each(['memory', 'redis'] as const)('bookings in the %s pool after their retention', (kind) => {
  const store = poolStoreFor(kind, 'retention', 2 * DAY);

  it('are forgotten once every booking of their schedule ended longer ago than the retention; the others stay', async () => {
    // s-old ended five days ago; s-mixed has one shift as old but another next week; s-soon is ahead.
    expect(await store().book('p', 's-old', [shift('s-old', 'm1', -5)])).toBe(true);
    expect(await store().book('p', 's-mixed', [shift('s-mixed', 'm2', -5), shift('s-mixed', 'm2', 7)])).toBe(true);
    expect(await store().book('p', 's-soon', [shift('s-soon', 'm3', 3)])).toBe(true);
    const held = (await store().bookings('p')).map((b) => b.scheduleId);
    expect(new Set(held)).toEqual(new Set(['s-mixed', 's-soon']));
    expect(held).toHaveLength(3);
  });
});
