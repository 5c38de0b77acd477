/**
 * Dimension documents (users, queues, evaluation forms from the platform's list endpoints) -> typed rows. Each
 * table is described once (which column comes from which field, read how); one function builds the rows of all.
 */
import type { Checker, DateInput } from './checker';
import type { Cell } from './copy-format';

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

type Read = 'str' | 'ref' | 'uuid' | 'bool' | 'date';

/** A dimension table: its key column (from `id`), typed columns read from fields, and `raw` (the whole document). */
export interface DimensionTable {
  table: 'users' | 'queues' | 'evaluation_forms';
  key: string;
  what: string;
  fields: ReadonlyArray<readonly [column: string, field: string, read: Read]>;
}

type Field = DimensionTable['fields'][number];
/** Columns named as their fields, read the same way. */
const same = (read: Read, ...fields: string[]): Field[] => fields.map((f) => [f, f, read] as const);
/** `<field>_id` from a reference object's id (`division` -> `division_id`). */
const ref = (field: string): Field => [`${field}_id`, field, 'ref'];

export const USERS: DimensionTable = {
  table: 'users',
  key: 'user_id',
  what: 'a user (User)',
  fields: [...same('str', 'name', 'email', 'username', 'title', 'department', 'state'), ref('division'), ref('manager')],
};

export const QUEUES: DimensionTable = {
  table: 'queues',
  key: 'queue_id',
  what: 'a queue (Queue)',
  fields: [...same('str', 'name', 'description'), ref('division')],
};

export const FORMS: DimensionTable = {
  table: 'evaluation_forms',
  key: 'form_id',
  what: 'an evaluation form (EvaluationForm)',
  fields: [['context_id', 'contextId', 'uuid'], ...same('str', 'name'), ...same('bool', 'published'), ['modified_date', 'modifiedDate', 'date']],
};

/** The COPY columns of a dimension table, in the order `dimensionRows` writes them. */
export const dimensionColumns = (t: DimensionTable): string[] => [t.key, ...t.fields.map((f) => f[0]), 'raw'];

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

/**
 * Rows of one dimension table, one per id: a later document with the same id replaces an earlier one (ON CONFLICT
 * cannot touch a row twice in one statement). `each` sees every accepted document with its id and path.
 */
export function dimensionRows<T>(
  t: DimensionTable,
  docs: readonly T[],
  c: Checker,
  path: string,
  each?: (doc: T, id: string | null, p: string) => void,
): Map<string, Cell[]> {
  const out = new Map<string, Cell[]>();
  docs.forEach((doc, i) => {
    const p = `${path}[${i}]`;
    if (!c.object(doc, p, t.what)) return;
    const d = doc as Record<string, unknown>;
    const id = c.uuid(d.id, p, '.id', true);
    const row: Cell[] = [id];
    for (const [, field, read] of t.fields) {
      const v = d[field];
      const suffix = `.${field}`;
      row.push(read === 'str' ? c.str(v, p, suffix) : read === 'ref' ? c.refId(v, p, suffix) : read === 'uuid' ? c.uuid(v, p, suffix) : read === 'bool' ? c.bool(v, p, suffix) : c.date(v, p, suffix));
    }
    row.push({ json: doc });
    each?.(doc, id, p);
    if (id !== null) out.set(id, row);
  });
  return out;
}

/** The question rows of a form version (question texts for analysts), in form order. */
export function formQuestionRows(f: WarehouseEvaluationForm, formId: string | null, c: Checker, p: string): Cell[][] {
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
      questions.push([formId, groupId, groupContext, groupName, qid, c.uuid(q.contextId, qp, '.contextId'), c.str(q.text, qp, '.text'), c.str(q.type, qp, '.type'), position++]);
    });
  });
  return questions;
}

/** Forms and their question rows (a later version document with the same id replaces the earlier one). */
export function formRows(forms: readonly WarehouseEvaluationForm[], c: Checker, path: string): { forms: Cell[][]; questions: Cell[][] } {
  const questions = new Map<string, Cell[][]>();
  const rows = dimensionRows(FORMS, forms, c, path, (f, id, p) => {
    const q = formQuestionRows(f, id, c, p);
    if (id !== null) questions.set(id, q);
  });
  return { forms: [...rows.values()], questions: [...questions.values()].flat() };
}
