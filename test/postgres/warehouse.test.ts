import { expect, it } from 'vitest';
import { ValidationError } from '@org/gc-data';
import { PostgresWarehouseError, WAREHOUSE_SCHEMA_VERSION, type PostgresWarehouse } from '@org/gc-data/postgres';
import { describeBackends, evaluation, K, T, uuid } from './helpers';

const E = (n: number) => uuid(K.evaluation, n);

async function evaluations(w: PostgresWarehouse) {
  return w.query<{ evaluation_id: string; total_score: string | null; changed_at: Date; deleted_at: Date | null; status: string | null }>(
    `SELECT evaluation_id, total_score::text, changed_at, deleted_at, status FROM "${w.schema}".evaluations ORDER BY evaluation_id`,
  );
}

async function scoreRows(w: PostgresWarehouse, n?: number) {
  return w.query<{ evaluation_id: string; question_id: string; score: string }>(
    `SELECT evaluation_id, question_id, score::text FROM "${w.schema}".evaluation_question_scores ${n === undefined ? '' : `WHERE evaluation_id = '${E(n)}'`} ORDER BY evaluation_id, question_id`,
  );
}

async function count(w: PostgresWarehouse, table: string): Promise<number> {
  const r = await w.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${w.schema}".${table}`);
  return r[0]?.n ?? -1;
}

describeBackends('warehouse migrations', (db) => {
  it('migrate() creates every table once and is idempotent (schema_version records each version once)', async () => {
    const w = db.warehouse();
    expect(WAREHOUSE_SCHEMA_VERSION).toBe(2);
    expect(await w.migrate()).toEqual({ from: 0, to: 2, applied: [1, 2] });
    expect(await w.migrate()).toEqual({ from: 2, to: 2, applied: [] });
    const tables = await w.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [w.schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'calibrations',
      'conversations',
      'evaluation_form_questions',
      'evaluation_forms',
      'evaluation_question_scores',
      'evaluations',
      'evaluations_current',
      'queues',
      'schema_version',
      'sync_fingerprints',
      'sync_watermarks',
      'users',
    ]);
    expect(await count(w, 'schema_version')).toBe(2);
    const indexes = await w.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'evaluation_question_scores'`, [w.schema]);
    expect(indexes.map((i) => i.indexname)).toEqual(['evaluation_question_scores_pkey']);
  });

  it('an existing warehouse at version 1 upgrades to version 2: its rows stay, the question index goes', async () => {
    const w = db.warehouse();
    await w.migrate();
    // Back to what version 1 left: its index, and no record of version 2.
    await db.admin(`DELETE FROM "${w.schema}".schema_version WHERE version = 2;
CREATE INDEX evaluation_question_scores_question_idx ON "${w.schema}".evaluation_question_scores (question_context_id);`);
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1) }) }]);
    const w2 = (await import('@org/gc-data/postgres')).createPostgresWarehouse(db.options(w.schema));
    try {
      expect(await w2.migrate()).toEqual({ from: 1, to: 2, applied: [2] });
      expect(await w2.migrate()).toEqual({ from: 2, to: 2, applied: [] });
      const indexes = await w2.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'evaluation_question_scores'`, [w.schema]);
      expect(indexes.map((i) => i.indexname)).toEqual(['evaluation_question_scores_pkey']);
      expect(await count(w2, 'evaluations')).toBe(1);
      expect(await count(w2, 'evaluation_question_scores')).toBe((await scoreRows(w2, 1)).length);
      expect((await scoreRows(w2, 1)).length).toBeGreaterThan(0);
    } finally {
      await w2.close();
    }
  });

  it('several warehouses migrating the same schema at once: one applies it, the others find it applied', async () => {
    const schema = db.schemaName();
    const { createPostgresWarehouse } = await import('@org/gc-data/postgres');
    const many = [0, 1, 2, 3].map(() => createPostgresWarehouse(db.options(schema)));
    try {
      const results = await Promise.all(many.map((w) => w.migrate()));
      expect(results.filter((r) => r.applied.length === WAREHOUSE_SCHEMA_VERSION)).toHaveLength(1);
      expect(results.filter((r) => r.applied.length === 0)).toHaveLength(3);
      expect(await count(many[0] as PostgresWarehouse, 'schema_version')).toBe(WAREHOUSE_SCHEMA_VERSION);
    } finally {
      for (const w of many) await w.close();
    }
  });

  it('a schema newer than this SDK is refused with schema-too-new, and nothing is written to it', async () => {
    const w = db.warehouse();
    await w.migrate();
    await db.admin(`INSERT INTO "${w.schema}".schema_version (version, name) VALUES (99, 'from the future')`);
    const w2 = (await import('@org/gc-data/postgres')).createPostgresWarehouse(db.options(w.schema));
    try {
      const e = await w2.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1) }) }]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PostgresWarehouseError);
      expect((e as PostgresWarehouseError).reason).toBe('schema-too-new');
      expect((e as Error).message).toMatch(/version 99, newer than this @org\/gc-data knows \(2\): upgrade/);
      expect(await count(w, 'evaluations')).toBe(0);
    } finally {
      await w2.close();
    }
  });
});

describeBackends('warehouse.apply(): upserts, deletions, the change-time guard', (db) => {
  it('an upsert writes typed columns, answers as jsonb and one question-score row per question', async () => {
    const w = db.warehouse();
    const s = await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(2), totalScore: 80.5, questions: 4 }) }]);
    expect(s).toMatchObject({ changes: 1, upserted: 1, deleted: 0, skippedOlder: 0, questionScores: 4 });
    const [row] = await w.query<Record<string, unknown>>(
      `SELECT evaluation_id, conversation_id, agent_id, form_context_id, status, total_score::text AS total_score,
              pg_typeof(total_score)::text AS score_type, pg_typeof(evaluation_id)::text AS id_type,
              conversation_date, changed_at, deleted_at, media_type, answers->'questionGroupScores'->0->>'totalScore' AS group_score,
              jsonb_typeof(answers) AS answers_type
         FROM "${w.schema}".evaluations`,
    );
    expect(row).toMatchObject({
      evaluation_id: E(1),
      conversation_id: uuid(K.conversation, 1),
      agent_id: uuid(K.agent, 1),
      form_context_id: uuid(K.formContext, 1),
      status: 'FINISHED',
      total_score: '80.5',
      score_type: 'numeric',
      id_type: 'uuid',
      deleted_at: null,
      media_type: 'CALL',
      group_score: '80.5',
      answers_type: 'object',
    });
    expect(new Date(row?.conversation_date as Date).toISOString()).toBe('2024-05-13T10:00:00.000Z');
    expect(new Date(row?.changed_at as Date).toISOString()).toBe(T(2));
    const scores = await w.query<Record<string, unknown>>(
      `SELECT question_id, question_context_id, question_group_context_id, score::text AS score, comments FROM "${w.schema}".evaluation_question_scores ORDER BY question_id`,
    );
    expect(scores).toHaveLength(4);
    expect(scores[0]).toEqual({
      question_id: uuid(K.question, 0),
      question_context_id: uuid(K.formContext, 200),
      question_group_context_id: uuid(K.formContext, 100),
      score: '80.5',
      comments: 'tab\there, line\nbreak, back\\slash',
    });
  });

  it('a newer upsert replaces the row and its question scores (fewer questions: the extra rows are gone)', async () => {
    const w = db.warehouse();
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(2), totalScore: 50, questions: 5 }) }]);
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(3), totalScore: 90, questions: 2 }) }]);
    expect((await evaluations(w)).map((r) => r.total_score)).toEqual(['90']);
    expect((await scoreRows(w)).map((r) => r.score)).toEqual(['90', '91']);
  });

  it('an older upsert never overwrites a newer one, in a later batch or within the same batch', async () => {
    const w = db.warehouse();
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(5), totalScore: 95, questions: 2 }) }]);
    const late = await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(4), totalScore: 10, questions: 4 }) }]);
    expect(late).toMatchObject({ upserted: 0, skippedOlder: 1, questionScores: 0 });
    // Same batch, newer first: the newer one wins.
    const batch = await w.apply([
      { op: 'upsert', row: evaluation(2, { changedDate: T(9), totalScore: 70 }) },
      { op: 'upsert', row: evaluation(2, { changedDate: T(8), totalScore: 20 }) },
    ]);
    expect(batch).toMatchObject({ changes: 2, upserted: 1, skippedOlder: 1 });
    const rows = await evaluations(w);
    expect(rows.map((r) => [r.evaluation_id, r.total_score, r.changed_at.toISOString()])).toEqual([
      [E(1), '95', T(5)],
      [E(2), '70', T(9)],
    ]);
    expect((await scoreRows(w, 1)).map((r) => r.score)).toEqual(['95', '96']);
  });

  it('changedAt on the change overrides row.changedDate as the change time', async () => {
    const w = db.warehouse();
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1), totalScore: 60 }), changedAt: T(20) }]);
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(10), totalScore: 10 }) }]);
    expect((await evaluations(w)).map((r) => [r.total_score, r.changed_at.toISOString()])).toEqual([['60', T(20)]]);
  });

  it('a deletion keeps a tombstone (deleted_at), removes the question scores, and an older upsert cannot bring it back', async () => {
    const w = db.warehouse();
    await w.apply([
      { op: 'upsert', row: evaluation(1, { changedDate: T(2), totalScore: 77 }) },
      { op: 'upsert', row: evaluation(2, { changedDate: T(2) }) },
    ]);
    const del = await w.apply([{ op: 'delete', evaluationId: E(1), at: T(3) }]);
    expect(del).toMatchObject({ upserted: 0, deleted: 1, skippedOlder: 0 });
    const stale = await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(2, 12), totalScore: 1 }) }]);
    expect(stale).toMatchObject({ upserted: 0, skippedOlder: 1 });
    const rows = await evaluations(w);
    expect(rows[0]).toMatchObject({ evaluation_id: E(1), total_score: '77', status: 'FINISHED' });
    expect(rows[0]?.deleted_at?.toISOString()).toBe(T(3));
    expect(rows[1]?.deleted_at).toBeNull();
    expect(await scoreRows(w, 1)).toEqual([]);
    expect(await scoreRows(w, 2)).toHaveLength(3);
    const current = await w.query<{ evaluation_id: string }>(`SELECT evaluation_id FROM "${w.schema}".evaluations_current`);
    expect(current.map((r) => r.evaluation_id)).toEqual([E(2)]);
  });

  it('a deletion of an evaluation never loaded is a tombstone too; a deletion older than the row is skipped; a tie goes to the deletion', async () => {
    const w = db.warehouse();
    await w.apply([{ op: 'delete', evaluationId: E(5), at: T(6) }]);
    await w.apply([{ op: 'upsert', row: evaluation(5, { changedDate: T(5) }) }]);
    await w.apply([{ op: 'upsert', row: evaluation(6, { changedDate: T(6) }) }]);
    const older = await w.apply([{ op: 'delete', evaluationId: E(6), at: T(4) }]);
    expect(older).toMatchObject({ deleted: 0, skippedOlder: 1 });
    await w.apply([{ op: 'upsert', row: evaluation(7, { changedDate: T(6) }) }]);
    await w.apply([{ op: 'delete', evaluationId: E(7), at: T(6) }]);
    await w.apply([{ op: 'upsert', row: evaluation(7, { changedDate: T(6) }) }]);
    const rows = await evaluations(w);
    expect(rows.map((r) => [r.evaluation_id, r.status, r.deleted_at?.toISOString() ?? null])).toEqual([
      [E(5), null, T(6)],
      [E(6), 'FINISHED', null],
      [E(7), 'FINISHED', T(6)],
    ]);
  });

  it('applying the same batch again (a rerun after a crash) leaves the same rows: no duplicate', async () => {
    const w = db.warehouse();
    const batch = [
      ...Array.from({ length: 30 }, (_, i) => ({ op: 'upsert' as const, row: evaluation(i, { changedDate: T(2), totalScore: i }) })),
      { op: 'delete' as const, evaluationId: E(3), at: T(3) },
    ];
    const state = { fingerprints: [{ stream: 'evaluations', key: E(1), fingerprint: 'f1' }], watermarks: [{ stream: 'evaluations', window: '2024-05-13', watermark: T(3) }] };
    await w.apply(batch, { state });
    const snapshot = async () => ({
      evaluations: await w.query(`SELECT evaluation_id, total_score::text, changed_at, deleted_at, answers FROM "${w.schema}".evaluations ORDER BY 1`),
      scores: await w.query(`SELECT * FROM "${w.schema}".evaluation_question_scores ORDER BY 1, 4`),
      fingerprints: await w.query(`SELECT stream, key, fingerprint FROM "${w.schema}".sync_fingerprints ORDER BY 1, 2`),
      watermarks: await w.query(`SELECT stream, window_key, watermark FROM "${w.schema}".sync_watermarks ORDER BY 1, 2`),
    });
    const first = await snapshot();
    await w.apply(batch, { state });
    expect(await snapshot()).toEqual(first);
    expect(first.evaluations).toHaveLength(30);
    expect(first.scores).toHaveLength(29 * 3);
  });

  it('ids in upper case are the same evaluation as in lower case (stored as uuid)', async () => {
    const w = db.warehouse();
    const doc = evaluation(11, { changedDate: T(2), questions: 2 });
    doc.id = doc.id.toUpperCase();
    expect(await w.apply([{ op: 'upsert', row: doc }])).toMatchObject({ upserted: 1, questionScores: 2 });
    expect(await w.apply([{ op: 'delete', evaluationId: E(11), at: T(3) }])).toMatchObject({ deleted: 1 });
    expect((await evaluations(w)).map((r) => [r.evaluation_id, r.deleted_at?.toISOString()])).toEqual([[E(11), T(3)]]);
    expect(await scoreRows(w)).toEqual([]);
  });

  it('a calibration evaluation is kept with its calibration_id, listed in calibrations, and left out of evaluations_current', async () => {
    const w = db.warehouse();
    await w.apply([
      { op: 'upsert', row: evaluation(1, { changedDate: T(2), calibration: true }) },
      { op: 'upsert', row: evaluation(2, { changedDate: T(2) }) },
    ]);
    const cal = await w.query<Record<string, unknown>>(`SELECT calibration_id, conversation_id, form_id FROM "${w.schema}".calibrations`);
    expect(cal).toEqual([{ calibration_id: uuid(K.calibration, 1), conversation_id: uuid(K.conversation, 1), form_id: uuid(K.form, 1) }]);
    const current = await w.query<{ evaluation_id: string }>(`SELECT evaluation_id FROM "${w.schema}".evaluations_current`);
    expect(current.map((r) => r.evaluation_id)).toEqual([E(2)]);
  });
});

describeBackends('warehouse.apply(): one transaction per batch', (db) => {
  it('a batch the server refuses mid-way (after the evaluations were merged) leaves nothing: no row, no score, no state', async () => {
    const w = db.warehouse();
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1), totalScore: 11 }) }]);
    // The server refuses question-score rows of evaluation 42: that statement runs after the evaluations upsert.
    await db.admin(`CREATE FUNCTION "${w.schema}".refuse_42() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.evaluation_id = '${E(42)}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_42 BEFORE INSERT ON "${w.schema}".evaluation_question_scores FOR EACH ROW EXECUTE FUNCTION "${w.schema}".refuse_42();`);
    const batch = [
      { op: 'upsert' as const, row: evaluation(1, { changedDate: T(2), totalScore: 99 }) },
      { op: 'upsert' as const, row: evaluation(2, { changedDate: T(2) }) },
      { op: 'upsert' as const, row: evaluation(42, { changedDate: T(2) }) },
    ];
    const state = { fingerprints: [{ stream: 'evaluations', key: E(2), fingerprint: 'x' }], watermarks: [{ stream: 'evaluations', window: 'w', watermark: T(2) }] };
    const e = await w.apply(batch, { state }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PostgresWarehouseError);
    expect((e as PostgresWarehouseError).reason).toBe('query-failed');
    expect((e as Error).message).toMatch(/refused by test trigger.*rolled back: nothing of this batch was written/s);
    expect((await evaluations(w)).map((r) => [r.evaluation_id, r.total_score])).toEqual([[E(1), '11']]);
    expect(await scoreRows(w)).toHaveLength(3);
    expect(await w.readFingerprints('evaluations')).toEqual(new Map());
    expect(await w.readWatermarks('evaluations')).toEqual(new Map());
    // The cause removed, the same batch goes in whole.
    await db.admin(`DROP TRIGGER refuse_42 ON "${w.schema}".evaluation_question_scores`);
    expect(await w.apply(batch, { state })).toMatchObject({ upserted: 3 });
    expect((await evaluations(w)).map((r) => r.total_score)).toEqual(['99', '80.5', '80.5']);
  });

  it('two writers applying overlapping batches at once both succeed, and the later change of each evaluation wins', async () => {
    const w1 = db.warehouse();
    const w2 = (await import('@org/gc-data/postgres')).createPostgresWarehouse(db.options(w1.schema));
    try {
      await w1.migrate();
      const ids = Array.from({ length: 400 }, (_, i) => i);
      // Same evaluations, opposite input orders; writer 1 is newer for even ids, writer 2 for odd ones.
      const a = ids.map((n) => ({ op: 'upsert' as const, row: evaluation(n, { changedDate: n % 2 === 0 ? T(3) : T(2), totalScore: 1, questions: 2 }) }));
      const b = [...ids].reverse().map((n) => ({ op: 'upsert' as const, row: evaluation(n, { changedDate: n % 2 === 0 ? T(2) : T(3), totalScore: 2, questions: 2 }) }));
      for (let round = 0; round < 3; round++) await Promise.all([w1.apply(a), w2.apply(b)]);
      const rows = await evaluations(w1);
      expect(rows).toHaveLength(400);
      expect(rows.every((r, i) => r.total_score === (i % 2 === 0 ? '1' : '2'))).toBe(true);
      expect(await scoreRows(w1)).toHaveLength(800);
    } finally {
      await w2.close();
    }
  });

  it('sync state goes in with its batch: fingerprints upserted and removed (null), watermarks replaced', async () => {
    const w = db.warehouse();
    await w.apply([{ op: 'upsert', row: evaluation(1, { changedDate: T(1) }) }], {
      state: {
        fingerprints: [
          { stream: 'evaluations', key: E(1), fingerprint: 'a' },
          { stream: 'evaluations', key: E(2), fingerprint: 'b' },
          { stream: 'evaluations', key: E(2), fingerprint: 'b2' },
        ],
        watermarks: [{ stream: 'evaluations', window: '2024-05-13', watermark: T(1), state: { pages: 3 } }],
      },
    });
    expect(await w.readFingerprints('evaluations')).toEqual(new Map([[E(1), 'a'], [E(2), 'b2']]));
    await w.writeState({
      fingerprints: [{ stream: 'evaluations', key: E(1), fingerprint: null }],
      watermarks: [{ stream: 'evaluations', window: '2024-05-13', watermark: T(2) }],
    });
    expect(await w.readFingerprints('evaluations')).toEqual(new Map([[E(2), 'b2']]));
    expect(await w.readWatermarks('evaluations')).toEqual(new Map([['2024-05-13', { watermark: T(2), state: null }]]));
    expect(await w.readWatermarks('conversations')).toEqual(new Map());
  });

  it('a bad change is a ValidationError naming the change and field, before anything is written', async () => {
    const w = db.warehouse();
    const bad = evaluation(1, { changedDate: T(1) });
    (bad.agent as { id: string }).id = 'agent-7';
    const e = await w
      .apply([
        { op: 'upsert', row: evaluation(2, { changedDate: T(1) }) },
        { op: 'upsert', row: bad },
        { op: 'delete', evaluationId: E(3), at: 'yesterday' },
        { op: 'upsert', row: { ...evaluation(4, { changedDate: T(1) }), changedDate: undefined } },
        { op: 'replace' } as never,
      ])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => i.path)).toEqual([
      'changes[1].row.agent.id',
      'changes[2].at',
      'changes[3].row.changedDate',
      'changes[4].op',
    ]);
    expect((e as Error).message).toMatch(/must be a UUID as the platform's ids are, got "agent-7"/);
    const badScore = evaluation(5, { changedDate: T(1) });
    const groups = (badScore.answers as { questionGroupScores: Array<{ questionScores: Array<Record<string, unknown>> }> }).questionGroupScores;
    (groups[0]?.questionScores[1] as Record<string, unknown>).questionId = 'q-2';
    (groups[0]?.questionScores[2] as Record<string, unknown>).score = '7';
    const e2 = await w.apply([{ op: 'upsert', row: badScore }]).catch((x: unknown) => x);
    expect((e2 as ValidationError).issues.map((i) => i.path)).toEqual([
      'changes[0].row.answers.questionGroupScores[0].questionScores[1].questionId',
      'changes[0].row.answers.questionGroupScores[0].questionScores[2].score',
    ]);
    // Refused before the database was touched: not even the schema was created.
    expect(await w.migrate()).toMatchObject({ from: 0, applied: [1, 2] });
    expect(await count(w, 'evaluations')).toBe(0);
  });
});

describeBackends('warehouse.applyConversations() and loadDimensions()', (db) => {
  const conversation = (n: number, wrapUp: string) => ({
    conversationId: uuid(K.conversation, n),
    conversationStart: '2024-05-13T10:00:00.000Z',
    conversationEnd: '2024-05-13T10:05:00.000Z',
    originatingDirection: 'inbound',
    divisionIds: ['d1'],
    participants: [
      {
        purpose: 'agent',
        userId: uuid(K.agent, n),
        sessions: [{ mediaType: 'voice', segments: [{ queueId: uuid(K.queue, 1), wrapUpCode: wrapUp, segmentEnd: '2024-05-13T10:05:00.000Z' }], metrics: [{ name: 'tHandle', value: 300000 }] }],
      },
    ],
  });

  it('conversations: projected columns plus the raw document; an older change never overwrites a newer one', async () => {
    const w = db.warehouse();
    expect(await w.applyConversations([{ op: 'upsert', row: conversation(1, 'sale "big"'), changedAt: T(3) }])).toMatchObject({ upserted: 1 });
    expect(await w.applyConversations([{ op: 'upsert', row: conversation(1, 'older'), changedAt: T(2) }])).toMatchObject({ upserted: 0, skippedOlder: 1 });
    const rows = await w.query<Record<string, unknown>>(
      `SELECT conversation_id, duration_ms::int AS duration_ms, media_type, queue_ids, wrap_up_codes, user_ids, t_handle_ms::int AS t_handle_ms, raw->>'originatingDirection' AS dir FROM "${w.schema}".conversations`,
    );
    expect(rows).toEqual([
      {
        conversation_id: uuid(K.conversation, 1),
        duration_ms: 300000,
        media_type: 'voice',
        queue_ids: [uuid(K.queue, 1)],
        wrap_up_codes: ['sale "big"'],
        user_ids: [uuid(K.agent, 1)],
        t_handle_ms: 300000,
        dir: 'inbound',
      },
    ]);
  });

  it('dimensions: users, queues and forms upserted by id; a form version’s question texts replaced', async () => {
    const w = db.warehouse();
    const form = (texts: string[]) => ({
      id: uuid(K.form, 1),
      contextId: uuid(K.formContext, 1),
      name: 'Customer service',
      published: true,
      questionGroups: [{ id: uuid(K.group, 1), contextId: uuid(K.formContext, 100), name: 'Greeting', questions: texts.map((text, q) => ({ id: uuid(K.question, q), contextId: uuid(K.formContext, 200 + q), text, type: 'multipleChoiceQuestion' })) }],
    });
    await w.loadDimensions({
      users: [{ id: uuid(K.agent, 1), name: 'Ada', email: 'ada@example.com', division: { id: uuid(12, 1) }, state: 'active' }],
      queues: [{ id: uuid(K.queue, 1), name: 'Sales' }],
      forms: [form(['Greeted?', 'Named?', 'Thanked?'])],
    });
    const summary = await w.loadDimensions({ users: [{ id: uuid(K.agent, 1), name: 'Ada L.' }], forms: [form(['Greeted the customer?'])] });
    expect(summary).toEqual({ users: 1, queues: 0, forms: 1, questions: 1 });
    expect(await w.query(`SELECT user_id, name, raw->>'name' AS raw_name FROM "${w.schema}".users`)).toEqual([{ user_id: uuid(K.agent, 1), name: 'Ada L.', raw_name: 'Ada L.' }]);
    expect(await w.query(`SELECT name FROM "${w.schema}".queues`)).toEqual([{ name: 'Sales' }]);
    expect(await w.query(`SELECT question_text, question_group_name, position FROM "${w.schema}".evaluation_form_questions`)).toEqual([
      { question_text: 'Greeted the customer?', question_group_name: 'Greeting', position: 0 },
    ]);
  });
});
