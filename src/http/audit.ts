import type { Context } from 'hono';

/**
 * The changes the audit log records (who, what, when; never a body), by route. The target is the
 * path's id, or for a create the id the answer's Location names.
 */
const AUDITED: Record<string, string> = {
  'POST /schedules': 'schedule.create',
  'POST /schedules/:id/sick-leave': 'schedule.replan',
  'POST /schedules/:id/cancel': 'schedule.cancel',
  'DELETE /schedules/:id': 'schedule.delete',
  'PUT /ordninger/:id': 'ordning.put',
  'DELETE /ordninger/:id': 'ordning.delete',
  'PUT /pools/:poolId/assistants/:assistantId': 'pool.member.put',
  'DELETE /pools/:poolId/assistants/:assistantId': 'pool.member.delete',
};

/** The audit action of a successful change just answered, or null when there is none to record. */
export function auditAction(c: Context): { action: string; targetId: string } | null {
  if (c.res.status >= 300) return null;
  const action = AUDITED[`${c.req.method} ${c.req.routePath}`];
  if (!action) return null;
  const targetId = c.req.param('id') ?? c.req.param('poolId') ?? c.res.headers.get('location')?.split('/').pop();
  return targetId ? { action, targetId } : null;
}
