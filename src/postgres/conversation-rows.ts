/** Analytics conversation documents -> `conversations` rows (projected columns + the raw document as jsonb). */
import { projectConversation } from '../analytics/projection';
import type { AnalyticsConversation } from '../analytics/schemas';
import type { Checker, DateInput } from './checker';
import type { Cell } from './copy-format';

export const CONVERSATION_COLUMNS = [
  'conversation_id',
  'conversation_start',
  'conversation_end',
  'duration_ms',
  'originating_direction',
  'media_type',
  'media_types',
  'division_ids',
  'queue_ids',
  'user_ids',
  'wrap_up_codes',
  'participant_count',
  'session_count',
  'evaluation_count',
  'survey_count',
  'external_tag',
  'min_mos',
  't_acd_ms',
  't_talk_ms',
  't_held_ms',
  't_acw_ms',
  't_handle_ms',
  'raw',
  'changed_at',
] as const;

export function conversationRow(conv: AnalyticsConversation, changedAtInput: DateInput | undefined, c: Checker, path: string): { id: string; changedAt: string; cells: Cell[] } | undefined {
  if (!c.object(conv, path, 'the analytics conversation document')) return undefined;
  const before = c.issues.length;
  const id = c.uuid(conv.conversationId, path, '.conversationId', true);
  const changedAt = c.date(changedAtInput, path.replace(/\.row$/, '.changedAt'), '', true);
  const p = projectConversation(conv);
  const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
  const cells: Cell[] = [
    id,
    iso(p.conversationStart),
    iso(p.conversationEnd),
    c.int(p.durationMs, path, '.conversationEnd'),
    p.originatingDirection ?? null,
    p.mediaType,
    p.mediaTypes,
    p.divisionIds ?? null,
    p.queueIds,
    p.userIds,
    p.wrapUpCodes,
    p.participantCount ?? null,
    p.sessionCount,
    p.evaluationCount,
    p.surveyCount,
    p.externalTag,
    p.minMos,
    c.int(p.tAcdMs, path, '.metrics.tAcd'),
    c.int(p.tTalkMs, path, '.metrics.tTalk'),
    c.int(p.tHeldMs, path, '.metrics.tHeld'),
    c.int(p.tAcwMs, path, '.metrics.tAcw'),
    c.int(p.tHandleMs, path, '.metrics.tHandle'),
    { json: conv },
    changedAt,
  ];
  if (c.issues.length > before || id === null || changedAt === null) return undefined;
  return { id, changedAt, cells };
}
