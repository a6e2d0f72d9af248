import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../config.ts';
import { newKey } from './keys.ts';

/**
 * Whether the service may serve as configured. Without API keys everyone who can reach it can
 * read and change health data, so it then listens on localhost only; bound elsewhere, or in Redis
 * mode (meant for several machines), it refuses to start and says how to set keys up.
 */

type Access = Pick<Config, 'ADMIN_KEY' | 'ADMIN_KEY_FILE' | 'REDIS_URL' | 'HOST' | 'PORT' | 'OPEN_WITHOUT_KEYS'>;

/**
 * ADMIN_KEY, or the key in ADMIN_KEY_FILE. In embedded mode a missing file is created with a new
 * random key (readable by this user only), so keys are one command away; in Redis mode every
 * process must share one key, so a missing file is an error.
 */
export function adminKeyOf(config: Access): { key?: string; createdFile?: string } {
  if (config.ADMIN_KEY || !config.ADMIN_KEY_FILE) return { key: config.ADMIN_KEY };
  const file = config.ADMIN_KEY_FILE;
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < 32) throw new Error(`invalid configuration: ADMIN_KEY_FILE: the key in ${file} is shorter than 32 characters`);
    return { key };
  }
  if (config.REDIS_URL) throw new Error(`invalid configuration: ADMIN_KEY_FILE: ${file} does not exist (in Redis mode every process must read the same admin key)`);
  writeFileSync(file, `${newKey()}\n`, { mode: 0o600, flag: 'wx' });
  return { key: readFileSync(file, 'utf8').trim(), createdFile: file };
}

/** API keys are on when an admin key is configured (directly or in a file). */
export const keysOn = (config: Access) => Boolean(config.ADMIN_KEY || config.ADMIN_KEY_FILE);

/** Where to listen: HOST when given, else everywhere with keys and localhost only without. */
export const listenHost = (config: Access) => config.HOST ?? (keysOn(config) ? '0.0.0.0' : '127.0.0.1');

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Why the API must not start as configured, with how to fix it; null when it may. */
export function refusal(config: Access): string | null {
  if (keysOn(config) || config.OPEN_WITHOUT_KEYS) return null;
  const host = listenHost(config);
  const why = config.REDIS_URL ? 'in Redis mode' : !LOOPBACK.test(host) ? `bound to ${host}` : null;
  if (!why) return null;
  return [
    `refusing to start ${why} without API keys: anyone who reaches it could read and change health data.`,
    'Set ADMIN_KEY to a random secret of at least 32 characters (openssl rand -base64 32), or ADMIN_KEY_FILE to a file holding one, start again, and create a key for each tenant:',
    `  curl -X POST http://<host>:${config.PORT}/admin/keys -H "Authorization: Bearer $ADMIN_KEY" -H 'content-type: application/json' -d '{"tenantId":"my-org","scopes":["read","write"]}'`,
    'Send that key as Authorization: Bearer <key>. (OPEN_WITHOUT_KEYS=true skips this check, for tests and development only.)',
  ].join('\n');
}
