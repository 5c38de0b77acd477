import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { editDistance, FILTER_FIELDS, lookupField, suggestFields, type FieldLevel } from '../../src/filters/catalog';

const count = (level: FieldLevel, kind: 'dimension' | 'metric'): number =>
  FILTER_FIELDS.filter((f) => f.level === level && f.kind === kind).length;

describe('filter catalog: contents', () => {
  it('has every level with the SDK predicate lists (77 segment dimensions from the .NET enum)', () => {
    expect(count('conversation', 'dimension')).toBe(11);
    expect(count('segment', 'dimension')).toBe(77);
    expect(count('segment', 'metric')).toBe(1);
    expect(count('evaluation', 'dimension')).toBe(16);
    expect(count('evaluation', 'metric')).toBe(2);
    expect(count('survey', 'dimension')).toBe(11);
    expect(count('survey', 'metric')).toBe(1);
  });

  it('has no duplicate name within a level', () => {
    const keys = FILTER_FIELDS.map((f) => `${f.level}.${f.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('describes the segment fields the modules rely on', () => {
    expect(lookupField('mediaType')).toMatchObject({ level: 'segment', kind: 'dimension', type: 'enum' });
    expect(lookupField('mediaType')?.values).toEqual(
      expect.arrayContaining(['voice', 'callback', 'chat', 'email', 'message', 'cobrowse', 'screenshare', 'video']),
    );
    expect(lookupField('direction')?.values).toEqual(['inbound', 'outbound']);
    expect(lookupField('purpose')?.values).toEqual(expect.arrayContaining(['agent', 'customer', 'acd', 'ivr']));
    expect(lookupField('wrapUpCode')).toMatchObject({ level: 'segment', type: 'string' });
    expect(lookupField('queueId')).toMatchObject({ level: 'segment', type: 'uuid' });
    expect(lookupField('userId')).toMatchObject({ level: 'segment', type: 'uuid' });
    expect(lookupField('tSegmentDuration')).toMatchObject({ level: 'segment', kind: 'metric', type: 'number' });
  });

  it('describes evaluation and survey fields (no evaluationState: the dimension is evaluationStatus)', () => {
    expect(lookupField('oTotalScore')).toMatchObject({ level: 'evaluation', kind: 'metric' });
    expect(lookupField('oTotalCriticalScore')).toMatchObject({ level: 'evaluation', kind: 'metric' });
    expect(lookupField('evaluationStatus')?.values).toEqual(['Finished', 'InProgress', 'InReview', 'Pending', 'Retracted']);
    expect(lookupField('evaluationState')).toBeUndefined();
    expect(lookupField('oSurveyTotalScore')).toMatchObject({ level: 'survey', kind: 'metric' });
    expect(lookupField('surveyType')?.values).toEqual(['Web', 'Voice']);
  });

  it('gives every enum field its values and every field but one a source on the record', () => {
    for (const f of FILTER_FIELDS) if (f.type === 'enum') expect(f.values?.length, f.name).toBeGreaterThan(0);
    expect(FILTER_FIELDS.filter((f) => !f.source).map((f) => f.name)).toEqual(['canonicalExternalContactId']);
  });

  it("points every source at a property that exists in the official SDK's typings", () => {
    const require = createRequire(import.meta.url);
    const dts = readFileSync(require.resolve('purecloud-platform-client-v2/index.d.ts'), 'utf8');
    const props = (name: string): Set<string> => {
      const m = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\t\\}`).exec(dts);
      return new Set([...(m?.[1] ?? '').matchAll(/"(\w+)"\?:/g)].map((x) => x[1] ?? ''));
    };
    const owner: Array<[RegExp, string]> = [
      [/^participants\[\]\.sessions\[\]\.segments\[\]\.scoredAgents\[\]\./, 'AnalyticsScoredAgent'],
      [/^participants\[\]\.sessions\[\]\.segments\[\]\./, 'AnalyticsConversationSegment'],
      [/^participants\[\]\.sessions\[\]\.flow\.outcomes\[\]\./, 'AnalyticsFlowOutcome'],
      [/^participants\[\]\.sessions\[\]\.flow\./, 'AnalyticsFlow'],
      [/^participants\[\]\.sessions\[\]\./, 'AnalyticsSession'],
      [/^participants\[\]\./, 'AnalyticsParticipant'],
      [/^evaluations\[\]\./, 'AnalyticsEvaluation'],
      [/^surveys\[\]\./, 'AnalyticsSurvey'],
      [/^/, 'AnalyticsConversation'],
    ];
    for (const f of FILTER_FIELDS) {
      if (!f.source || f.name === 'tSegmentDuration') continue;
      const [re, iface] = owner.find(([r]) => r.test(f.source ?? '')) ?? owner[owner.length - 1]!;
      const last = (f.source.replace(re, '').split('.').pop() ?? '').replace(/\[\]$/, '');
      expect(props(iface).has(last), `${f.name}: ${iface}.${last}`).toBe(true);
    }
  });
});

describe('lookupField', () => {
  it('is exact and case-sensitive, like the platform', () => {
    expect(lookupField('queueid')).toBeUndefined();
    expect(lookupField('nope')).toBeUndefined();
  });

  it('resolves a name shared by levels to the first of conversation, segment, evaluation, survey', () => {
    expect(lookupField('queueId')?.level).toBe('segment');
    expect(lookupField('userId')?.level).toBe('segment');
    expect(lookupField('eventTime')?.level).toBe('evaluation');
  });

  it('takes a level-qualified name', () => {
    expect(lookupField('evaluation.queueId')?.level).toBe('evaluation');
    expect(lookupField('survey.queueId')?.level).toBe('survey');
    expect(lookupField('survey.eventTime')?.level).toBe('survey');
    expect(lookupField('conversation.conversationId')?.level).toBe('conversation');
    expect(lookupField('conversation.queueId')).toBeUndefined();
  });
});

describe('suggestFields', () => {
  it('finds the nearest names case-insensitively', () => {
    expect(suggestFields('wrapupcode')[0]).toBe('wrapUpCode');
    expect(suggestFields('queuId')[0]).toBe('queueId');
    expect(suggestFields('MEDIATYPE')[0]).toBe('mediaType');
    expect(suggestFields('tSegmentDuraton')[0]).toBe('tSegmentDuration');
  });

  it('counts a transposition as one edit', () => {
    expect(suggestFields('qeueuId')[0]).toBe('queueId');
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it("maps the seed's names to the real ones first", () => {
    expect(suggestFields('type')[0]).toBe('mediaType');
    expect(suggestFields('durationSeconds')[0]).toBe('tSegmentDuration');
    expect(suggestFields('evaluationState')[0]).toBe('evaluationStatus');
  });

  it('returns n distinct names (default 3)', () => {
    expect(suggestFields('queue')).toHaveLength(3);
    expect(suggestFields('queue', 5)).toHaveLength(5);
    expect(new Set(suggestFields('queue', 10)).size).toBe(10);
    expect(suggestFields('queue', 0)).toEqual([]);
  });

  it('compares a qualified name with qualified names', () => {
    expect(suggestFields('evaluation.queuId')[0]).toBe('evaluation.queueId');
  });
});
