import { z } from 'zod';
import { AssistantSchema } from '../solver/request.ts';

/**
 * Ids from a path, checked before they become part of a Redis key. Body ids may hold ':', the key
 * separator, so nothing but a UUID may name a schedule: `{id}:v:1` or `{id}:input` would name a
 * piece of one.
 */

/** Ordning, assistant and pool ids: the request body's own schema, so path and body agree. */
export const BodyIdSchema = AssistantSchema.shape.id;

/** The UUIDs this service hands out as schedule ids. */
export const ScheduleIdSchema = z.uuid();

/** A result version: digits from 1, so "1e0" or " 1" name no version. */
export const VersionSchema = z.string().regex(/^[1-9]\d{0,8}$/, 'expected an integer >= 1').transform(Number);
