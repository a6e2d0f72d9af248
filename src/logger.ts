import pino from 'pino';

/** Logs carry ids, routes, statuses and figures; never request bodies or assistants' data. */
export function createLogger(level: string) {
  return pino({ level, base: { service: 'bpa-turnus' }, redact: ['req.headers.authorization', 'body', 'input', 'result'] });
}
export type Logger = ReturnType<typeof createLogger>;
