/**
 * The simulator's wire shapes against the official SDK's models, both ways:
 * - compile time (checked by `tsc --noEmit`): each Sim* type is assignable to its `Models.*` interface, and has no key
 *   the model lacks, recursively (`ExtraKeys<Sim, Model>` must be `never`);
 * - run time: real responses from every endpoint are walked against the models parsed from the SDK's index.d.ts,
 *   so optional fields a type might not show are covered too.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createSimulatedOrg,
  type SimAnalyticsConversation,
  type SimAnalyticsConversationWithAttributes,
  type SimAnnotation,
  type SimAsyncQueryResponse,
  type SimAsyncQueryStatus,
  type SimCustomAttributes,
  type SimCustomAttributesIdResponse,
  type SimCustomAttributesListing,
  type SimDataAvailability,
  type SimDetailsQueryResponse,
  type SimErrorBody,
  type SimEvaluationForm,
  type SimEvaluationResponse,
  type SimEvaluationSearchResponse,
  type SimJobResultsPage,
  type SimRecording,
  type SimRecordingMetadata,
} from '../../src/testing/index';
import { DETAILS, JOBS, SEARCH, api, dayInterval, directApi, manualClock, viaHandle } from './helpers';
import { extraKeys, extraKeysInArray, modelExists } from './model-keys';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** Keys of T (recursively, to depth 8: enough for every shape, and it stops self-referencing ones) that model M lacks. */
type ExtraKeys<T, M, D extends unknown[] = []> =
  D['length'] extends 8 ? never
  : IsAny<M> extends true ? never
  : [NonNullable<T>] extends [readonly (infer E)[]] ? ([NonNullable<M>] extends [readonly (infer ME)[]] ? ExtraKeys<E, ME, [...D, 1]> : 'array where the model has none')
  : [NonNullable<T>] extends [Primitive] ? never
  : [NonNullable<T>] extends [object] ? { [K in keyof NonNullable<T>]-?: K extends keyof NonNullable<M> ? ExtraKeys<NonNullable<T>[K], NonNullable<M>[K], [...D, 1]> : K }[keyof NonNullable<T>]
  : never;

describe('contract: simulator shapes vs purecloud-platform-client-v2 models', () => {
  it('every Sim* type is assignable to its model and has no extra keys (compile time)', () => {
    expectTypeOf<SimErrorBody>().toExtend<Models.ErrorBody>();
    expectTypeOf<ExtraKeys<SimErrorBody, Models.ErrorBody>>().toEqualTypeOf<never>();
    expectTypeOf<SimDetailsQueryResponse>().toExtend<Models.AnalyticsConversationQueryResponse>();
    expectTypeOf<ExtraKeys<SimDetailsQueryResponse, Models.AnalyticsConversationQueryResponse>>().toEqualTypeOf<never>();
    expectTypeOf<SimAnalyticsConversation>().toExtend<Models.AnalyticsConversationWithoutAttributes>();
    expectTypeOf<ExtraKeys<SimAnalyticsConversation, Models.AnalyticsConversationWithoutAttributes>>().toEqualTypeOf<never>();
    expectTypeOf<SimAnalyticsConversationWithAttributes>().toExtend<Models.AnalyticsConversation>();
    expectTypeOf<ExtraKeys<SimAnalyticsConversationWithAttributes, Models.AnalyticsConversation>>().toEqualTypeOf<never>();
    expectTypeOf<SimEvaluationResponse>().toExtend<Models.EvaluationResponse>();
    expectTypeOf<ExtraKeys<SimEvaluationResponse, Models.EvaluationResponse>>().toEqualTypeOf<never>();
    expectTypeOf<SimEvaluationForm>().toExtend<Models.EvaluationFormResponse>();
    expectTypeOf<ExtraKeys<SimEvaluationForm, Models.EvaluationFormResponse>>().toEqualTypeOf<never>();
    expectTypeOf<SimEvaluationSearchResponse>().toExtend<Models.EvaluationSearchResponse>();
    expectTypeOf<ExtraKeys<SimEvaluationSearchResponse, Models.EvaluationSearchResponse>>().toEqualTypeOf<never>();
    expectTypeOf<SimAsyncQueryResponse>().toExtend<Models.AsyncQueryResponse>();
    expectTypeOf<ExtraKeys<SimAsyncQueryResponse, Models.AsyncQueryResponse>>().toEqualTypeOf<never>();
    expectTypeOf<SimAsyncQueryStatus>().toExtend<Models.AsyncQueryStatus>();
    expectTypeOf<ExtraKeys<SimAsyncQueryStatus, Models.AsyncQueryStatus>>().toEqualTypeOf<never>();
    expectTypeOf<SimJobResultsPage>().toExtend<Models.AnalyticsConversationAsyncQueryResponse>();
    expectTypeOf<ExtraKeys<SimJobResultsPage, Models.AnalyticsConversationAsyncQueryResponse>>().toEqualTypeOf<never>();
    expectTypeOf<SimDataAvailability>().toExtend<Models.DataAvailabilityResponse>();
    expectTypeOf<ExtraKeys<SimDataAvailability, Models.DataAvailabilityResponse>>().toEqualTypeOf<never>();
    expectTypeOf<SimRecording>().toExtend<Models.Recording>();
    expectTypeOf<ExtraKeys<SimRecording, Models.Recording>>().toEqualTypeOf<never>();
    expectTypeOf<SimRecordingMetadata>().toExtend<Models.RecordingMetadata>();
    expectTypeOf<ExtraKeys<SimRecordingMetadata, Models.RecordingMetadata>>().toEqualTypeOf<never>();
    expectTypeOf<SimAnnotation>().toExtend<Models.Annotation>();
    expectTypeOf<ExtraKeys<SimAnnotation, Models.Annotation>>().toEqualTypeOf<never>();
    expectTypeOf<ExtraKeys<SimCustomAttributes, Models.CustomAttributes>>().toEqualTypeOf<never>();
    expectTypeOf<ExtraKeys<SimCustomAttributesListing, Models.CustomAttributesListing>>().toEqualTypeOf<never>();
    expectTypeOf<SimCustomAttributesIdResponse>().toExtend<Models.CustomAttributesIdResponse>();
    expectTypeOf<ExtraKeys<SimCustomAttributesIdResponse, Models.CustomAttributesIdResponse>>().toEqualTypeOf<never>();
    // The checker itself must catch drift: a key the model lacks is reported by name.
    expectTypeOf<ExtraKeys<{ id: string; isCalibration: boolean }, Models.EvaluationResponse>>().toEqualTypeOf<'isCalibration'>();
    expectTypeOf<ExtraKeys<{ answers: { score: number } }, Models.EvaluationResponse>>().toEqualTypeOf<'score'>();
    expect(modelExists('EvaluationResponse')).toBe(true);
  });

  it('real responses of every endpoint have only keys their models declare (run time)', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ seed: 21, now: clock.now, calibrationShare: 0.5, rateLimit: false });
    const a = directApi(sim);
    const checks: [what: string, value: unknown, model: string, isArray?: boolean][] = [];
    const body = async (r: Response | Promise<Response>) => (await (await r).json()) as unknown;
    const interval = dayInterval(sim, 1);
    const [start, end] = interval.split('/');

    const q = (await body(a.post(DETAILS, { interval, paging: { pageSize: 100, pageNumber: 1 } }))) as SimDetailsQueryResponse;
    checks.push(['details query', q, 'AnalyticsConversationQueryResponse']);
    const conv = q.conversations?.find((c) => c.evaluations?.some((e) => e.calibrationId));
    const ev = conv?.evaluations?.find((e) => e.calibrationId);
    const voice = q.conversations?.find((c) => sim.data.recordingIds(sim.data.indexOf(c.conversationId) ?? 0).length > 1);
    if (!conv || !ev || !voice) throw new Error('the seed should give a calibration and a call with a screen recording');
    checks.push(['evaluation', await body(a.get(`/api/v2/quality/conversations/${conv.conversationId}/evaluations/${ev.evaluationId}?expand=evaluationForm`)), 'EvaluationResponse']);
    checks.push(['form', await body(a.get(`/api/v2/quality/forms/evaluations/${sim.data.forms[0]?.versions[1]?.id ?? ''}`)), 'EvaluationFormResponse']);
    checks.push(['404', await body(a.get('/api/v2/quality/conversations/x/evaluations/y')), 'ErrorBody']);
    checks.push(['400', await body(a.post(DETAILS, {})), 'ErrorBody']);
    checks.push(['401', await body(api(viaHandle(sim), sim.apiBaseUrl, 'bad').post(DETAILS, {})), 'ErrorBody']);
    checks.push(['search', await body(a.post(SEARCH, { query: [{ type: 'DATE_RANGE', field: 'conversationDate', startValue: start, endValue: end }], pageNumber: 1, pageSize: 5 })), 'EvaluationSearchResponse']);

    const submitted = (await body(a.post(JOBS, { interval }))) as SimAsyncQueryResponse;
    checks.push(['job submit', submitted, 'AsyncQueryResponse']);
    checks.push(['availability', await body(a.get(`${JOBS}/availability`)), 'DataAvailabilityResponse']);
    clock.advance(60_000);
    checks.push(['job status', await body(a.get(`${JOBS}/${submitted.jobId}`)), 'AsyncQueryStatus']);
    checks.push(['job results', await body(a.get(`${JOBS}/${submitted.jobId}/results?pageSize=50`)), 'AnalyticsConversationAsyncQueryResponse']);

    const rec = `/api/v2/conversations/${voice.conversationId}`;
    checks.push(['recordings 202', await body(a.get(`${rec}/recordings`)), 'Recording', true]);
    checks.push(['recordings 200', await body(a.get(`${rec}/recordings`)), 'Recording', true]);
    checks.push(['recordingmetadata', await body(a.get(`${rec}/recordingmetadata`)), 'RecordingMetadata', true]);
    const recId = sim.data.recordingIds(sim.data.indexOf(voice.conversationId) ?? 0)[0] ?? '';
    checks.push(['annotation', await body(a.post(`${rec}/recordings/${recId}/annotations`, { name: 'n', description: 'd', location: 5, durationMs: 10 })), 'Annotation']);
    checks.push(['customattributes put', await body(a.put(`${rec}/customattributes`, { id: 'a1', customAttributes: { k: 'v' } })), 'CustomAttributesIdResponse']);
    checks.push(['customattributes list', await body(a.get(`${rec}/customattributes`)), 'CustomAttributesListing']);
    checks.push(['customattributes get', await body(a.get(`${rec}/customattributes/a1`)), 'CustomAttributes']);
    for (const media of ['chat', 'message', 'email']) {
      const found = (await body(a.post(DETAILS, { interval, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: media }] }] }))) as SimDetailsQueryResponse;
      const id = found.conversations?.[0]?.conversationId;
      if (!id) throw new Error(`no ${media} conversation`);
      await a.get(`/api/v2/conversations/${id}/recordings`);
      checks.push([`${media} transcript`, await body(a.get(`/api/v2/conversations/${id}/recordings`)), 'Recording', true]);
    }

    const limited = createSimulatedOrg({ rateLimit: { requests: 1, windowMs: 60_000 } });
    const l = directApi(limited);
    await l.get('/api/v2/analytics/conversations/details/jobs/availability');
    checks.push(['429', await body(l.get('/api/v2/analytics/conversations/details/jobs/availability')), 'ErrorBody']);

    for (const [what, value, model, isArray] of checks) {
      expect(value, what).toBeDefined();
      expect(isArray ? extraKeysInArray(value, model) : extraKeys(value, model), what).toEqual([]);
    }
    expect(checks).toHaveLength(22);
  });

  it('the runtime checker reports keys a model lacks', () => {
    expect(extraKeys({ id: 'x', isCalibration: true, answers: { totalScore: 1, evaluationScore: 2 } }, 'EvaluationResponse')).toEqual([
      'EvaluationResponse.isCalibration (not in Models.EvaluationResponse)',
      'EvaluationResponse.answers.evaluationScore (not in Models.EvaluationScoringSet)',
    ]);
  });
});
