import { describe, expect, expectTypeOf, it } from 'vitest';
import { CONVERSATION_ROW_COLUMNS, projectConversation, type ConversationRow } from '../../src/analytics/projection';
import type { AnalyticsConversation } from '../../src/analytics/schemas';
import { collect, dayInterval, fastReports, fastClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg({ evaluatedShare: 0.5 });

describe('default projection: one flat row per conversation, timestamps as UTC epoch ms', () => {
  it('flattens a conversation as documented', () => {
    const { lo } = sim.data.indexRange(sim.data.end - 86_400_000, sim.data.end);
    let index = lo;
    while (sim.data.conversation(index).evaluations === undefined) index++;
    const c = sim.data.conversation(index) as unknown as AnalyticsConversation;
    const row = projectConversation(c, { attributes: ['language'] });
    const agent = c.participants!.find((p) => p.purpose === 'agent')!;
    const agentSegments = agent.sessions![0]!.segments!;
    expect(row).toMatchObject({
      conversationId: c.conversationId,
      conversationStart: Date.parse(c.conversationStart!),
      conversationEnd: Date.parse(c.conversationEnd!),
      durationMs: Date.parse(c.conversationEnd!) - Date.parse(c.conversationStart!),
      originatingDirection: c.originatingDirection,
      mediaType: c.participants![0]!.sessions![0]!.mediaType,
      divisionIds: c.divisionIds,
      queueIds: [agentSegments[0]!.queueId],
      userIds: [agent.userId],
      wrapUpCodes: [agentSegments.at(-1)!.wrapUpCode],
      participantCount: 3,
      sessionCount: 3,
      evaluationCount: c.evaluations!.length,
      surveyCount: 0,
      externalTag: null,
    });
    // The details view has no participant attributes: an asked-for attribute is missing, which the extract
    // turns into null plus a schema-drift warning.
    expect(row).toHaveProperty('attr_language', undefined);
    expect(row.mediaTypes).toEqual([row.mediaType]);
    expect(row.tHandleMs).toBeGreaterThan(0);
    expect(row.tAcdMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(row).slice(0, CONVERSATION_ROW_COLUMNS.length)).toEqual([...CONVERSATION_ROW_COLUMNS]);
  });

  it('extract yields default rows with epoch-ms times inside the interval\'s activity', async () => {
    const client = fastClient(sim);
    const interval = dayInterval(sim, 1);
    const [from, to] = interval.split('/').map((s) => Date.parse(s)) as [number, number];
    const rows = await collect(fastReports(client).extract({ interval, attributes: ['customerTier'] }));
    expectTypeOf(rows).toEqualTypeOf<ConversationRow[]>();
    for (const r of rows) {
      expect(r.conversationStart).toBeLessThan(to);
      expect(r.conversationEnd).toBeGreaterThan(from);
      expect(Number.isInteger(r.conversationStart)).toBe(true);
    }
    expect(rows.some((r) => r.evaluationCount > 0)).toBe(true);
    await client.close();
  });

  it('takes a custom projection and infers its row type', async () => {
    const client = fastClient(sim);
    const rows = await collect(
      fastReports(client).extract({ interval: dayInterval(sim, 1), project: (c) => ({ id: c.conversationId, n: c.participants?.length ?? 0 }) }),
    );
    expectTypeOf(rows).toEqualTypeOf<Array<{ id: string; n: number }>>();
    expect(rows.every((r) => r.n === 3)).toBe(true);
    await client.close();
  });
});
