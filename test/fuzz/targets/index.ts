/** Every fuzz target, by entry (test/fuzz/coverage.test.ts checks each export has one). */
import type { Target } from '../harness';
import type { FuzzContext } from './context';
import { helperTargets } from './helpers';
import { rootClientTargets } from './root-client';
import { rootModuleTargets } from './root-modules';
import { testingIoTargets } from './testing-io';

export function allTargets(ctx: FuzzContext): Target[] {
  return [...rootClientTargets(ctx), ...rootModuleTargets(ctx), ...helperTargets(), ...testingIoTargets(ctx)];
}
