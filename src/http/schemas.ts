import { z } from 'zod';
import { ExternalBookingSchema, ScheduleResultSchema } from '../../solver/result.ts';
import { AssistantSchema, ScheduleRequestSchema } from '../../solver/request.ts';
import type { ScheduleRecord } from '../ports.ts';
import { LANGS } from '../i18n/texts.ts';
import { LINK_SCOPES } from '../views/links.ts';
import { WorkedFieldsSchema } from '../ordning/schemas.ts';

/** One side of a timesheet overlap: the entry's worked fields, with its id once stored. */
const OverlapEntrySchema = WorkedFieldsSchema.extend({ id: z.string().optional() });

/** The shapes the API answers with: what the routes send and what the OpenAPI document says. */

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ examples: ['invalid_request'] }),
      message: z.string(),
      details: z.array(z.object({ path: z.string().meta({ description: 'the field, dot-separated', examples: ['needs.0.start'] }), message: z.string() })).optional(),
      overlaps: z
        .array(z.object({ entry: OverlapEntrySchema, existing: OverlapEntrySchema.extend({ history: z.array(z.unknown()).optional(), createdAt: z.string().optional(), changedAt: z.string().optional(), changedBy: z.string().optional() }) }))
        .optional()
        .meta({ description: '`timesheet_overlap` only: each entry sent with the registered (or also sent) entry it overlaps' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error answer (src/errors.ts problem())' });

export const ScheduleStatusSchema = z.enum(['queued', 'solving', 'completed', 'failed']);

const scheduleFields = {
  id: z.string().meta({ examples: ['4f0c8a8e-5a4e-4a53-9f0e-3b1c7f1f2a10'] }),
  ordningId: z.string().optional().meta({ description: 'the request\'s ordning.id' }),
  status: ScheduleStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  progress: z.object({ fraction: z.number().min(0).max(1), phase: z.string() }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  cancelRequestedAt: z.string().optional().meta({ description: 'set while a cancel is pending (POST /schedules/{id}/cancel)' }),
};

export const ScheduleSummarySchema = z.object(scheduleFields).meta({ id: 'ScheduleSummary' });
export const ScheduleViewSchema = z.object({ ...scheduleFields, result: ScheduleResultSchema.optional().meta({ description: 'the latest version, once completed' }) }).meta({ id: 'Schedule' });
export const ScheduleListSchema = z.object({
  items: z.array(ScheduleSummarySchema),
  nextCursor: z.string().nullable().meta({ description: 'pass as `cursor` for the next page; null on the last' }),
});

export const AcceptedSchema = z.object({ id: z.string(), status: z.literal('queued') });
export const SickLeaveAcceptedSchema = AcceptedSchema.extend({ version: z.number().int().meta({ description: 'the version that will include this report' }) });

export const PoolMemberSchema = AssistantSchema.meta({ id: 'PoolMember' });
export const PoolSchema = z.object({ id: z.string(), members: z.array(AssistantSchema.extend({ bookings: z.array(ExternalBookingSchema) })) });

export const HealthSchema = z.object({ status: z.literal('ok') });
export const WebhookSecretSchema = z.object({ secret: z.string().meta({ description: 'the key this tenant\'s callbacks are signed with (HMAC-SHA256, as X-Turnus-Signature)' }) }).meta({ id: 'WebhookSecret' });
export const ReadySchema = z.object({ status: z.literal('ready') });

/** A schedule as the API shows it: status without the store's bookkeeping. */
export const scheduleSummary = (r: ScheduleRecord): z.infer<typeof ScheduleSummarySchema> => ({
  id: r.id,
  ...(r.ordningId ? { ordningId: r.ordningId } : {}),
  status: r.status,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  ...(r.progress ? { progress: r.progress } : {}),
  ...(r.error ? { error: r.error } : {}),
  ...(r.cancelRequestedAt ? { cancelRequestedAt: r.cancelRequestedAt } : {}),
});

export const ListQuerySchema = z.object({
  ordningId: z.string().min(1).max(100).optional().meta({ description: 'only schedules of this ordning' }),
  status: ScheduleStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().meta({ description: 'the `nextCursor` of the previous page' }),
});

/** The query of the human views (src/http/views.ts): a signed link's token and the language. */
export const ViewQuerySchema = z.object({
  token: z.string().optional().meta({ description: 'a signed link from POST /schedules/{id}/links; when given it must grant exactly this view (403 otherwise)' }),
  lang: z.enum(LANGS).optional().meta({ description: 'the page\'s language; without it Accept-Language decides, then nb' }),
});

/** POST /schedules/{id}/links: a signed link to one view. */
export const LinkSchema = z.object({
  url: z.string().meta({ description: 'the view\'s address with `?token=`', examples: ['https://turnus.example/schedules/4f0c8a8e-5a4e-4a53-9f0e-3b1c7f1f2a10/turnus?token=v1.abc'] }),
  expiresAt: z.string(),
  scope: z.enum(LINK_SCOPES),
  assistantId: z.string().optional(),
});

/** Where the completion notice of each job of this schedule goes (README: Completion notices). */
export const CallbackUrlSchema = z.string().url().meta({
  description: 'https (or http) URL on a host in the service\'s WEBHOOK_ALLOWED_HOSTS; each end of a job (completed, failed, each re-plan after sick leave) is POSTed there, signed (`X-Turnus-Signature`). Refused with 400 when webhooks are off or the host resolves to a private address.',
  examples: ['https://portal.example.no/hooks/turnus'],
});

/** POST /schedules' body as documented: the schedule request and its optional callbackUrl. */
export const CreateScheduleSchema = ScheduleRequestSchema.extend({ callbackUrl: CallbackUrlSchema.optional() });
