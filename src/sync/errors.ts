import { GcError } from '../errors';

/**
 * The sync state could not be read or written (an unreadable or damaged state file, a full disk), or a store was
 * misconfigured. `path` is the state file (or '' when there is none).
 */
export class SyncStateError extends GcError {
  override readonly name: string = 'SyncStateError';
  readonly path: string;

  constructor(message: string, options: { path: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.path = options.path;
  }

  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, path: this.path };
  }
}
