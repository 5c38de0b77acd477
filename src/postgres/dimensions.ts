/** Dimension documents (users, queues, evaluation forms from the platform's list endpoints) -> typed rows. */
import { Checker, quote, type Cell, type DateInput } from './rows';

interface Ref {
  id?: string | null;
}

/** `GET /api/v2/users` entities (the official SDK's `User`); other fields are kept in `raw`. */
export interface WarehouseUser {
  id: string;
  name?: string | null;
  email?: string | null;
  username?: string | null;
  title?: string | null;
  department?: string | null;
  state?: string | null;
  division?: Ref | null;
  manager?: Ref | null;
}

/** `GET /api/v2/routing/queues` entities (the official SDK's `Queue`). */
export interface WarehouseQueue {
  id: string;
  name?: string | null;
  description?: string | null;
  division?: Ref | null;
}

/** `GET /api/v2/quality/forms/evaluations/{id}` (the official SDK's `EvaluationForm`), one form *version*. */
export interface WarehouseEvaluationForm {
  id: string;
  name?: string | null;
  contextId?: string | null;
  published?: boolean | null;
  modifiedDate?: DateInput | null;
  questionGroups?: ReadonlyArray<{
    id?: string | null;
    name?: string | null;
    contextId?: string | null;
    questions?: ReadonlyArray<{ id?: string | null; contextId?: string | null; text?: string | null; type?: string | null }> | null;
  }> | null;
}

export const USER_COLUMNS = ['user_id', 'name', 'email', 'username', 'title', 'department', 'state', 'division_id', 'manager_id', 'raw'] as const;
export const QUEUE_COLUMNS = ['queue_id', 'name', 'description', 'division_id', 'raw'] as const;
export const FORM_COLUMNS = ['form_id', 'context_id', 'name', 'published', 'modified_date', 'raw'] as const;
export const FORM_QUESTION_COLUMNS = [
  'form_id',
  'question_group_id',
  'question_group_context_id',
  'question_group_name',
  'question_id',
  'question_context_id',
  'question_text',
  'question_type',
  'position',
] as const;

function isObject(v: unknown, c: Checker, path: string, what: string): boolean {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return true;
  c.add(path, `must be ${what}, got ${quote(v)}`);
  return false;
}

/** Rows keyed by id; a later document with the same id replaces an earlier one (one batch, one row per key). */
function byId<T>(rows: Map<string, T>, id: string | null, row: T): void {
  if (id !== null) rows.set(id, row);
}

export function userRows(users: readonly WarehouseUser[], c: Checker, path: string): Cell[][] {
  const out = new Map<string, Cell[]>();
  users.forEach((u, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(u, c, p, 'a user (User)')) return;
    const id = c.uuid(u.id, p, '.id', true);
    byId(out, id, [
      id,
      c.str(u.name, p, '.name'),
      c.str(u.email, p, '.email'),
      c.str(u.username, p, '.username'),
      c.str(u.title, p, '.title'),
      c.str(u.department, p, '.department'),
      c.str(u.state, p, '.state'),
      c.refId(u.division, p, '.division'),
      c.refId(u.manager, p, '.manager'),
      { json: u },
    ]);
  });
  return [...out.values()];
}

export function queueRows(queues: readonly WarehouseQueue[], c: Checker, path: string): Cell[][] {
  const out = new Map<string, Cell[]>();
  queues.forEach((q, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(q, c, p, 'a queue (Queue)')) return;
    const id = c.uuid(q.id, p, '.id', true);
    byId(out, id, [id, c.str(q.name, p, '.name'), c.str(q.description, p, '.description'), c.refId(q.division, p, '.division'), { json: q }]);
  });
  return [...out.values()];
}

export function formRows(forms: readonly WarehouseEvaluationForm[], c: Checker, path: string): { forms: Cell[][]; questions: Cell[][] } {
  const out = new Map<string, { form: Cell[]; questions: Cell[][] }>();
  forms.forEach((f, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(f, c, p, 'an evaluation form (EvaluationForm)')) return;
    const id = c.uuid(f.id, p, '.id', true);
    const questions: Cell[][] = [];
    const seen = new Set<string>();
    let position = 0;
    (f.questionGroups ?? []).forEach((g, gi) => {
      const gp = `${p}.questionGroups[${gi}]`;
      if (!g || typeof g !== 'object') return;
      const groupId = c.uuid(g.id, gp, '.id');
      const groupContext = c.uuid(g.contextId, gp, '.contextId');
      const groupName = c.str(g.name, gp, '.name');
      (g.questions ?? []).forEach((q, qi) => {
        const qp = `${gp}.questions[${qi}]`;
        if (!q || typeof q !== 'object') return;
        const qid = c.uuid(q.id, qp, '.id', true);
        if (qid === null || seen.has(qid)) return;
        seen.add(qid);
        questions.push([id, groupId, groupContext, groupName, qid, c.uuid(q.contextId, qp, '.contextId'), c.str(q.text, qp, '.text'), c.str(q.type, qp, '.type'), position++]);
      });
    });
    byId(out, id, {
      form: [id, c.uuid(f.contextId, p, '.contextId'), c.str(f.name, p, '.name'), c.bool(f.published, p, '.published'), c.date(f.modifiedDate, p, '.modifiedDate'), { json: f }],
      questions,
    });
  });
  const all = [...out.values()];
  return { forms: all.map((x) => x.form), questions: all.flatMap((x) => x.questions) };
}
