import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed reading links: calendar apps and browsers cannot send an API key, so a view may be read with
 * `?token=`, an HMAC-SHA256 over what the link grants (schedule, scope, assistant), its expiry and
 * the schedule's link generation. Re-issuing with revokeEarlier bumps the generation in the store,
 * which turns every earlier token of that schedule invalid. The token carries only the expiry and
 * the signature; the rest comes from the path and the store, so nothing in it can be edited.
 */

export const LINK_SCOPES = ['turnus', 'timeliste', 'calendar'] as const;
export type LinkScope = (typeof LINK_SCOPES)[number];

export interface LinkGrant { scheduleId: string; scope: LinkScope; assistantId?: string }

function signature(secret: string, grant: LinkGrant, expires: number, generation: number): string {
  const message = [grant.scheduleId, grant.scope, grant.assistantId ?? '', String(expires), String(generation)].join('\n');
  return createHmac('sha256', secret).update(message).digest('base64url');
}

/** A token valid until `expires` (seconds since 1970) while the schedule's generation is `generation`. */
export function signLink(secret: string, grant: LinkGrant, expires: number, generation: number): string {
  return `${expires}.${signature(secret, grant, expires, generation)}`;
}

export type LinkCheck = 'valid' | 'expired' | 'invalid';

/** Whether `token` grants `grant` now; compared in constant time. */
export function checkLink(secret: string, token: string, grant: LinkGrant, generation: number, nowSeconds: number): LinkCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return 'invalid';
  const expires = Number(match[1]);
  const given = Buffer.from(match[2]!);
  const wanted = Buffer.from(signature(secret, grant, expires, generation));
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return 'invalid';
  return expires > nowSeconds ? 'valid' : 'expired';
}
