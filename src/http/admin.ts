import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { problem, zodDetails } from '../errors.ts';
import type { AccessStore, ApiKey } from '../ports.ts';
import type { Logger } from '../logger.ts';
import { hashKey, newKey, newKeyId } from '../access/keys.ts';
import { LOCAL_TENANT } from '../tenancy/context.ts';
import { adminOnly } from './auth.ts';

/** Tenant ids: lower-case words (never `local`, the tenant of a service without keys). */
export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and - (1-63)')
  .refine((t) => t !== LOCAL_TENANT, 'local is the tenant of a service without keys')
  .meta({ examples: ['drammen-kommune'] });

export const KeyRequestSchema = z
  .object({
    tenantId: TenantIdSchema,
    scopes: z.array(z.enum(['read', 'write'])).min(1).max(2).meta({ description: '`write` includes `read`' }),
    label: z.string().max(100).optional().meta({ description: 'for the admin\'s own overview; never logged' }),
  })
  .strict();

const keyFields = {
  id: z.string().meta({ examples: ['k_3hQ9vA1b2Xc4'] }),
  tenantId: z.string(),
  scopes: z.array(z.enum(['read', 'write'])),
  label: z.string().optional(),
  createdAt: z.string(),
};
export const CreatedKeySchema = z.object({ ...keyFields, key: z.string().meta({ description: 'the key itself, shown this once: only its hash is stored', examples: ['bt_…'] }) }).meta({ id: 'CreatedKey' });

export const AuditEntrySchema = z
  .object({ at: z.string(), tenantId: z.string(), keyId: z.string().meta({ description: 'the API key\'s id, or `admin`' }), action: z.string().meta({ examples: ['schedule.create'] }), targetId: z.string() })
  .meta({ id: 'AuditEntry' });
export const AuditPageSchema = z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).meta({ id: 'AuditPage' });
export const AuditQuerySchema = z.object({
  tenantId: TenantIdSchema.optional(),
  cursor: z.string().regex(/^\d{1,20}(-\d{1,20})?$/, 'pass a nextCursor of an earlier page unchanged').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const KeyIdSchema = z.string().regex(/^k_[\w-]{12}$/, 'expected a key id (k_...)');

/** Key creation and revocation and the audit log, behind the admin key. */
export function adminRoutes(app: Hono, deps: { adminKey?: string; access: AccessStore; log: Logger }) {
  const { access, log } = deps;
  const admin = adminOnly(deps.adminKey);
  const small = bodyLimit({ maxSize: 4096, onError: (c) => problem(c, 413, 'payload_too_large', 'the body is over 4096 bytes') });
  const audit = (tenantId: string, action: string, targetId: string) => access.audit({ at: new Date().toISOString(), tenantId, keyId: 'admin', action, targetId });

  app.post('/admin/keys', admin, small, async (c) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return problem(c, 400, 'malformed_json', 'the body is not valid JSON');
    }
    const body = KeyRequestSchema.safeParse(raw);
    if (!body.success) return problem(c, 400, 'invalid_request', 'the key request is invalid', zodDetails(body.error));
    const key = newKey();
    const record: ApiKey = { id: newKeyId(), tenantId: body.data.tenantId, scopes: [...new Set(body.data.scopes)], ...(body.data.label ? { label: body.data.label } : {}), createdAt: new Date().toISOString() };
    await access.addKey(record, hashKey(key));
    await audit(record.tenantId, 'key.create', record.id);
    log.info({ keyId: record.id, tenantId: record.tenantId, scopes: record.scopes }, 'API key created');
    return c.json({ ...record, key }, 201);
  });

  app.delete('/admin/keys/:id', admin, async (c) => {
    const id = KeyIdSchema.safeParse(c.req.param('id'));
    const revoked = id.success ? await access.revokeKey(id.data) : null;
    if (!revoked) return problem(c, 404, 'not_found', 'no such key');
    await audit(revoked.tenantId, 'key.revoke', revoked.id);
    log.info({ keyId: revoked.id, tenantId: revoked.tenantId }, 'API key revoked');
    return c.body(null, 204);
  });

  app.get('/admin/audit', admin, async (c) => {
    const query = AuditQuerySchema.safeParse(c.req.query());
    if (!query.success) return problem(c, 400, 'invalid_request', 'the query is invalid', zodDetails(query.error));
    const page = await access.auditLog(query.data);
    return c.json({ items: page.entries, nextCursor: page.next });
  });
}
