import type { Context } from 'hono';
import type { z } from 'zod';
import { problem, zodDetails } from '../errors.ts';

/** JSON body or the error response that says why not (415, 400). */
async function jsonBody(c: Context): Promise<{ body: unknown } | { error: Response }> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) return { error: problem(c, 415, 'unsupported_media_type', 'send the body as application/json') };
  try {
    return { body: JSON.parse(await c.req.text()) };
  } catch {
    return { error: problem(c, 400, 'malformed_json', 'the body is not valid JSON') };
  }
}

/** A JSON body valid against `schema`, or the error response saying why not (415, 400). */
export async function validBody<S extends z.ZodType>(c: Context, schema: S, what: string, prepare?: (body: unknown) => Promise<unknown>): Promise<{ data: z.output<S>; raw: unknown } | { error: Response }> {
  const parsed = await jsonBody(c);
  if ('error' in parsed) return parsed;
  const result = schema.safeParse(prepare ? await prepare(parsed.body) : parsed.body);
  if (!result.success) return { error: problem(c, 400, 'invalid_request', `the ${what} is invalid`, zodDetails(result.error)) };
  return { data: result.data, raw: parsed.body };
}
