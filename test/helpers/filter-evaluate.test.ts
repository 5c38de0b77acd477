import { describe, expect, it } from 'vitest';
import type { FilterNode } from '@org/gc-data/filters';
import { createFilterMatcher, evaluateFilter, type AnalyticsConversationLike } from '@org/gc-data/filters';
import { ValidationError } from '../../src/errors';
import { Q1, Q2, U1, at, conversation } from './filter-fixtures';

const T0 = '2024-05-01T10:00:00.000Z';

describe('evaluateFilter: segment conditions hold when some segment satisfies them', () => {
  const conv = conversation({
    mediaType: 'voice',
    direction: 'inbound',
    purpose: 'agent',
    userId: U1,
    segments: [
      { segmentType: 'interact', queueId: Q1, segmentStart: T0, segmentEnd: at(T0, 90_000) },
      { segmentType: 'wrapup', wrapUpCode: 'sale', segmentStart: at(T0, 90_000), segmentEnd: at(T0, 95_000) },
    ],
  });

  it('reads session fields (mediaType, direction), participant fields (purpose, userId) and segment fields', () => {
    expect(evaluateFilter({ field: 'mediaType', op: 'equals', value: 'voice' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'direction', op: 'equals', value: 'outbound' }, conv)).toBe(false);
    expect(evaluateFilter({ field: 'purpose', op: 'equals', value: 'agent' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'userId', op: 'equals', value: U1 }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'segmentType', op: 'equals', value: 'wrapup' }, conv)).toBe(true);
  });

  it('lets two anded conditions be met by different segments', () => {
    const tree: FilterNode = { and: [{ field: 'queueId', op: 'equals', value: Q1 }, { field: 'wrapUpCode', op: 'equals', value: 'sale' }] };
    expect(evaluateFilter(tree, conv)).toBe(true);
  });

  it('derives tSegmentDuration from segmentStart/segmentEnd in ms, absent while a segment is open', () => {
    expect(evaluateFilter({ field: 'tSegmentDuration', op: 'gte', value: 90_000 }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'tSegmentDuration', op: 'equals', value: 5_000 }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'tSegmentDuration', op: 'greaterThan', value: 90_000 }, conv)).toBe(false);
    const open = conversation({ segments: [{ segmentStart: T0 }] });
    expect(evaluateFilter({ field: 'tSegmentDuration', op: 'notExists' }, open)).toBe(true);
    expect(evaluateFilter({ field: 'tSegmentDuration', op: 'lessThan', value: 1e12 }, open)).toBe(false);
  });

  it('gives a condition per op the existential reading: notEquals/notExists are about some segment too', () => {
    expect(evaluateFilter({ field: 'wrapUpCode', op: 'notExists' }, conv)).toBe(true); // the interact segment
    expect(evaluateFilter({ field: 'wrapUpCode', op: 'notEquals', value: 'sale' }, conv)).toBe(false); // absent is not "other"
    expect(evaluateFilter({ field: 'wrapUpCode', op: 'notEquals', value: 'refund' }, conv)).toBe(true);
  });

  it('ignores sessions without segments (they give no segment item)', () => {
    const noSegments: AnalyticsConversationLike = { participants: [{ sessions: [{ mediaType: 'voice' }] }] };
    expect(evaluateFilter({ field: 'mediaType', op: 'equals', value: 'voice' }, noSegments)).toBe(false);
    expect(evaluateFilter({ field: 'mediaType', op: 'notExists' }, noSegments)).toBe(false);
  });
});

describe('evaluateFilter: nested and array-valued sources', () => {
  const conv = conversation({
    mediaType: 'voice',
    requestedRoutings: ['Bullseye', 'Standard'],
    flow: { flowName: 'Main IVR', outcomes: [{ flowOutcome: 'paid', flowOutcomeValue: 'SUCCESS' }] },
    segments: [{ requestedRoutingSkillIds: [Q1, Q2], sipResponseCodes: [486], scoredAgents: [{ scoredAgentId: U1, agentScore: 3 }] }],
  }, { divisionIds: [Q1], accessAttributes: [] });

  it('reads the session flow and its outcomes', () => {
    expect(evaluateFilter({ field: 'flowName', op: 'equals', value: 'Main IVR' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'flowOutcomeValue', op: 'equals', value: 'SUCCESS' }, conv)).toBe(true);
  });

  it('matches any element of an array field', () => {
    expect(evaluateFilter({ field: 'requestedRouting', op: 'equals', value: 'Standard' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'requestedRoutingSkillId', op: 'in', value: [Q2] }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'sipResponseCode', op: 'equals', value: 486 }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'scoredAgentId', op: 'equals', value: U1 }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'divisionId', op: 'equals', value: Q1 }, conv)).toBe(true);
  });

  it('treats an empty array as absent', () => {
    expect(evaluateFilter({ field: 'accessAttribute', op: 'notExists' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'divisionId', op: 'exists' }, conv)).toBe(true);
  });
});

describe('evaluateFilter: conversation, evaluation and survey levels', () => {
  const conv: AnalyticsConversationLike = {
    conversationStart: T0,
    originatingDirection: 'inbound',
    customerParticipation: false,
    externalTag: 'VIP-gold',
    evaluations: [
      { evaluationId: Q1, evaluationStatus: 'Finished', oTotalScore: 55, queueId: Q2 },
      { evaluationId: Q2, evaluationStatus: 'InProgress' },
    ],
    surveys: [{ surveyId: Q1, surveyType: 'Web', oSurveyTotalScore: 90, surveyPromoterScore: 9 }],
  };

  it('reads conversation fields', () => {
    expect(evaluateFilter({ field: 'originatingDirection', op: 'equals', value: 'inbound' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'customerParticipation', op: 'equals', value: false }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'conversationStart', op: 'greaterThan', value: '2024-05-01T09:00:00Z' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'conversationStart', op: 'equals', value: '2024-05-01T12:00:00+02:00' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'conversationEnd', op: 'exists' }, conv)).toBe(false);
  });

  it('matches contains case-insensitively', () => {
    expect(evaluateFilter({ field: 'externalTag', op: 'contains', value: 'vip' }, conv)).toBe(true);
  });

  it('reads each evaluation and survey as an item', () => {
    expect(evaluateFilter({ field: 'oTotalScore', op: 'lessThan', value: 60 }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'oTotalScore', op: 'notExists' }, conv)).toBe(true); // the in-progress one
    expect(evaluateFilter({ field: 'evaluation.queueId', op: 'equals', value: Q2.toUpperCase() }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'queueId', op: 'equals', value: Q2 }, conv)).toBe(false); // segment level: none
    expect(evaluateFilter({ field: 'surveyType', op: 'equals', value: 'Web' }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'surveyPromoterScore', op: 'gte', value: 9 }, conv)).toBe(true);
    expect(evaluateFilter({ field: 'oSurveyTotalScore', op: 'in', value: [80, 90] }, conv)).toBe(true);
  });

  it('combines and/or', () => {
    const tree: FilterNode = {
      or: [
        { and: [{ field: 'oTotalScore', op: 'greaterThan', value: 60 }, { field: 'evaluationStatus', op: 'equals', value: 'Finished' }] },
        { field: 'surveyType', op: 'equals', value: 'Voice' },
      ],
    };
    expect(evaluateFilter(tree, conv)).toBe(false);
    expect(() => evaluateFilter({ and: [] }, conv)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'and', code: 'empty_group' })] }));
  });

  it('tolerates drift in the record (numbers and booleans as strings)', () => {
    const drifted = { mediaStatsMinConversationMos: '3.2', customerParticipation: 'true' } as unknown as AnalyticsConversationLike;
    expect(evaluateFilter({ field: 'mediaStatsMinConversationMos', op: 'lessThan', value: 3.5 }, drifted)).toBe(true);
    expect(evaluateFilter({ field: 'customerParticipation', op: 'equals', value: true }, drifted)).toBe(true);
  });
});

describe('evaluateFilter: validation', () => {
  it('throws the same ValidationError as the compiler for a bad tree', () => {
    expect(() => evaluateFilter({ field: 'queuId', op: 'exists' }, {})).toThrow(ValidationError);
    expect(() => evaluateFilter({ field: 'mediaType', op: 'equals', value: 'hologram' }, {})).toThrow(/not a mediaType value/);
    expect(evaluateFilter({ field: 'mediaType', op: 'equals', value: 'hologram' }, {}, { strictEnums: false })).toBe(false);
  });

  it('refuses a field it cannot read from the record', () => {
    expect(() => evaluateFilter({ field: 'canonicalExternalContactId', op: 'exists' }, {})).toThrow(/cannot be checked client-side/);
  });

  it('createFilterMatcher validates once and returns a reusable predicate', () => {
    const m = createFilterMatcher({ field: 'mediaType', op: 'in', value: ['voice', 'chat'] });
    expect(m(conversation({ mediaType: 'chat', segments: [{}] }))).toBe(true);
    expect(m(conversation({ mediaType: 'email', segments: [{}] }))).toBe(false);
  });
});
