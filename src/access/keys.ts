import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** API keys: `bt_` and 32 random bytes, shown once and stored only as their SHA-256 hash. */
export const newKey = () => `bt_${randomBytes(32).toString('base64url')}`;
export const newKeyId = () => `k_${randomBytes(9).toString('base64url')}`;
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Compares two secrets in constant time (their hashes, so lengths never leak either). */
export const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
