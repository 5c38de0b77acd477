/**
 * `/__sim/*`: control routes for a simulator running in another process (CLI demo, benchmarks). Not part of the
 * platform; off unless `controlRoutes` is set (startSimulatedServer sets it). No auth: bind to 127.0.0.1 only.
 */
import type { RouteDef } from '../engine/context';
import { badRequest, isRecord, json, readJson } from '../engine/http';
import type { FaultOptions } from '../engine/options';

export interface ControlActions {
  reset(): void;
  setFaults(f: FaultOptions): void;
  expireTokens(): number;
}

export function controlRoutes(actions: ControlActions): RouteDef[] {
  return [
    { method: 'GET', path: '/__sim/stats', handler: ({ org }) => json(200, org.stats.snapshot()) },
    {
      method: 'POST',
      path: '/__sim/faults',
      async handler({ org, request }) {
        const body = await readJson(request);
        if (!isRecord(body)) throw badRequest('Send a partial faults object.');
        try {
          actions.setFaults(body as FaultOptions);
        } catch (e) {
          throw badRequest(e instanceof Error ? e.message : String(e));
        }
        return json(200, org.faults.options);
      },
    },
    {
      method: 'POST',
      path: '/__sim/reset',
      handler() {
        actions.reset();
        return json(200, { reset: true });
      },
    },
    { method: 'POST', path: '/__sim/expire-tokens', handler: () => json(200, { expired: actions.expireTokens() }) },
  ];
}
