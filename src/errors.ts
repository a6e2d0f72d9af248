import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export interface ErrorDetail { path: string; message: string }

/** The contract's error shape: `{ error: { code, message, details? } }`. */
export function problem(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: ErrorDetail[]) {
  return c.json({ error: { code, message, ...(details ? { details } : {}) } }, status);
}

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}
