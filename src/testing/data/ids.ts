/**
 * Reversible ids. A conversation, evaluation or recording id encodes its index (scrambled by a keyed Feistel
 * permutation, so ids look random and do not sort by time), which lets a GET by id find its object in O(1) without
 * an index in memory. The other 80 bits are a keyed hash of the index, so a made-up or tampered id decodes to nothing.
 */
import { hash3, hex8, mix32 } from './rng';

const B24 = 0x100_0000;
const MASK24 = 0xff_ffff;
const ROUNDS = 4;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Largest payload an id can carry (48 bits). */
export const MAX_ID_PAYLOAD = B24 * B24 - 1;

export class IdCodec {
  constructor(
    private readonly seed: number,
    private readonly kind: number,
  ) {}

  encode(payload: number): string {
    if (!Number.isInteger(payload) || payload < 0 || payload > MAX_ID_PAYLOAD) {
      throw new RangeError(`id payload out of range: ${payload}`);
    }
    const tail = this.permute(payload).toString(16).padStart(12, '0');
    const h = hash3(this.seed, this.kind, payload);
    const head = hex8(mix32(h + 0x68e31da4)) + hex8(mix32(h ^ 0x1b873593)) + hex8(mix32(h + 0x5bd1e995));
    const variant = ((parseInt(head[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${head.slice(0, 8)}-${head.slice(8, 12)}-4${head.slice(13, 16)}-${variant}${head.slice(17, 20)}-${tail}`;
  }

  /** The payload of an id this codec made, or undefined for anything else. */
  decode(id: string): number | undefined {
    const lower = id.toLowerCase();
    if (!UUID_RE.test(lower)) return undefined;
    const payload = this.unpermute(parseInt(lower.slice(24), 16));
    return this.encode(payload) === lower ? payload : undefined;
  }

  private round(r: number, half: number): number {
    return hash3(this.seed ^ (this.kind << 8), 7919 + r, half) & MASK24;
  }

  private permute(x: number): number {
    let l = Math.floor(x / B24);
    let r = x % B24;
    for (let i = 0; i < ROUNDS; i++) {
      const next = (l ^ this.round(i, r)) & MASK24;
      l = r;
      r = next;
    }
    return l * B24 + r;
  }

  private unpermute(y: number): number {
    let l = Math.floor(y / B24);
    let r = y % B24;
    for (let i = ROUNDS - 1; i >= 0; i--) {
      const prev = (r ^ this.round(i, l)) & MASK24;
      r = l;
      l = prev;
    }
    return l * B24 + r;
  }
}
