/**
 * Versioned schema of the warehouse. Each migration runs once, in order, inside the one transaction `migrate()`
 * holds under a transaction-scoped advisory lock, and is recorded in `schema_version`. Never edit a released
 * migration: add the next one. `s` is the quoted schema name.
 */
export interface Migration {
  version: number;
  name: string;
  sql: (s: string) => string;
}

/**
 * A dimension table (src/postgres/dimensions.ts fills it): the platform id as key, typed columns, the whole document
 * (`raw`) and `loaded_at`. Migration 1 was written out by hand; this helper emits the same SQL, byte for byte.
 */
const dimensionTable = (s: string, table: string, key: string, columns: readonly string[]): string =>
  `CREATE TABLE ${s}.${table} (
  ${key} uuid PRIMARY KEY,
${columns.map((c) => `  ${c},\n`).join('')}  raw jsonb NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'evaluations, question scores, calibrations, conversations, sync state, dimensions',
    sql: (s) => `
CREATE TABLE ${s}.evaluations (
  evaluation_id uuid PRIMARY KEY,
  conversation_id uuid,
  calibration_id uuid,
  agent_id uuid,
  evaluator_id uuid,
  queue_id uuid,
  form_id uuid,
  form_context_id uuid,
  form_name text,
  status text,
  total_score numeric,
  total_critical_score numeric,
  total_non_critical_score numeric,
  any_failed_kill_questions boolean,
  media_type text,
  conversation_date timestamptz,
  conversation_end_date timestamptz,
  created_date timestamptz,
  assigned_date timestamptz,
  submitted_date timestamptz,
  release_date timestamptz,
  changed_date timestamptz,
  never_release boolean,
  rescore boolean,
  answers jsonb,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  loaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluations_conversation_idx ON ${s}.evaluations (conversation_id);
CREATE INDEX evaluations_agent_date_idx ON ${s}.evaluations (agent_id, conversation_date);
CREATE INDEX evaluations_calibration_idx ON ${s}.evaluations (calibration_id) WHERE calibration_id IS NOT NULL;

CREATE TABLE ${s}.evaluation_question_scores (
  evaluation_id uuid NOT NULL,
  question_group_id uuid,
  question_group_context_id uuid,
  question_id uuid NOT NULL,
  question_context_id uuid,
  answer_id uuid,
  score numeric,
  marked_na boolean,
  system_marked_na boolean,
  failed_kill_question boolean,
  comments text,
  PRIMARY KEY (evaluation_id, question_id)
);
CREATE INDEX evaluation_question_scores_question_idx ON ${s}.evaluation_question_scores (question_context_id);

CREATE TABLE ${s}.calibrations (
  calibration_id uuid PRIMARY KEY,
  conversation_id uuid,
  form_id uuid,
  form_context_id uuid,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  changed_at timestamptz NOT NULL
);

CREATE VIEW ${s}.evaluations_current AS
  SELECT * FROM ${s}.evaluations WHERE deleted_at IS NULL AND calibration_id IS NULL;

CREATE TABLE ${s}.conversations (
  conversation_id uuid PRIMARY KEY,
  conversation_start timestamptz,
  conversation_end timestamptz,
  duration_ms bigint,
  originating_direction text,
  media_type text,
  media_types text[],
  division_ids text[],
  queue_ids text[],
  user_ids text[],
  wrap_up_codes text[],
  participant_count integer,
  session_count integer,
  evaluation_count integer,
  survey_count integer,
  external_tag text,
  min_mos numeric,
  t_acd_ms bigint,
  t_talk_ms bigint,
  t_held_ms bigint,
  t_acw_ms bigint,
  t_handle_ms bigint,
  raw jsonb NOT NULL,
  changed_at timestamptz NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_start_idx ON ${s}.conversations (conversation_start);

CREATE TABLE ${s}.sync_fingerprints (
  stream text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, key)
);

CREATE TABLE ${s}.sync_watermarks (
  stream text NOT NULL,
  window_key text NOT NULL,
  watermark timestamptz,
  state jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, window_key)
);

${dimensionTable(s, 'users', 'user_id', ['name text', 'email text', 'username text', 'title text', 'department text', 'state text', 'division_id uuid', 'manager_id uuid'])}

${dimensionTable(s, 'queues', 'queue_id', ['name text', 'description text', 'division_id uuid'])}

${dimensionTable(s, 'evaluation_forms', 'form_id', ['context_id uuid', 'name text', 'published boolean', 'modified_date timestamptz'])}

CREATE TABLE ${s}.evaluation_form_questions (
  form_id uuid NOT NULL,
  question_group_id uuid,
  question_group_context_id uuid,
  question_group_name text,
  question_id uuid NOT NULL,
  question_context_id uuid,
  question_text text,
  question_type text,
  position integer NOT NULL,
  PRIMARY KEY (form_id, question_id)
);
CREATE INDEX evaluation_form_questions_context_idx ON ${s}.evaluation_form_questions (question_context_id);

-- The jsonb documents (2-10 KB) are compressed when stored; lz4 is several times faster than the default pglz.
-- Servers built without lz4 (and PGlite) keep the default.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    EXECUTE 'ALTER TABLE ${s}.evaluations ALTER COLUMN answers SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE ${s}.conversations ALTER COLUMN raw SET COMPRESSION lz4';
  END IF;
END $$;
`,
  },
  {
    version: 2,
    name: 'question scores: only the primary key is maintained (the question_context_id index is dropped)',
    // Maintaining it cost about 8 µs of server CPU per evaluation loaded (12 entries, one per question score), about a
    // tenth of the server's whole load work (docs/warehouse.md, "Performance"); the analyst queries group or join the
    // scores of whole tables by question, where PostgreSQL reads the table and never uses it.
    sql: (s) => `DROP INDEX IF EXISTS ${s}.evaluation_question_scores_question_idx;`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
