import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The key one tenant's callbacks are signed with, derived from WEBHOOK_SECRET: a tenant verifies its
 * own notices with it, and can neither verify nor forge another tenant's (nor the deployment's,
 * signed with WEBHOOK_SECRET itself). Derived, not stored, so every process signs alike.
 */
export function tenantSecret(secret: string, tenantId: string): string {
  return createHmac('sha256', secret).update(`tenant:${tenantId}`).digest('hex');
}

/**
 * `X-Turnus-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. The timestamp
 * is inside the signed text, so a receiver that refuses old timestamps cannot be replayed to.
 */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver does (README: Completion notices): true when the header signs this body with the
 * secret, and its timestamp is within `toleranceSeconds` of now.
 */
export function verifySignature(secret: string, body: string, header: string, toleranceSeconds = 300, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, body, t).split('v1=')[1]!, 'hex');
  const sent = Buffer.from(parts.v1, 'hex');
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
