import type { Hono } from 'hono';
import { problem, zodDetails } from '../errors.ts';
import type { ScheduleStore } from '../ports.ts';
import { decodeCursor, encodeCursor } from '../store/paging.ts';
import { ListQuerySchema, scheduleSummary } from './schemas.ts';

/** `GET /schedules`: newest first, filtered by ordning and status, a page at a time. */
export function scheduleListRoutes(app: Hono, store: ScheduleStore) {
  app.get('/schedules', async (c) => {
    const query = ListQuerySchema.safeParse(c.req.query());
    if (!query.success) return problem(c, 400, 'invalid_request', 'the query is invalid', zodDetails(query.error));
    const { cursor, ...filters } = query.data;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after === null) return problem(c, 400, 'invalid_request', 'the cursor is invalid', [{ path: 'cursor', message: 'pass a nextCursor of an earlier page unchanged' }]);
    const page = await store.list({ ...filters, ...(after ? { after } : {}) });
    return c.json({ items: page.items.map(scheduleSummary), nextCursor: page.next ? encodeCursor(page.next) : null });
  });
}
