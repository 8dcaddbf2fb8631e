/**
 * A tiny seeded PRNG (xorshift32) for initialisation, shuffles and sampling.
 * Only shifts and xors on int32: identical on every engine, no Math.imul.
 */
export class Random {
  /** Current 32-bit state (never 0); save and restore it to resume a stream. */
  state: number;

  /** @param seed any integer; 0 is mapped to a fixed non-zero state. */
  constructor(seed: number) {
    this.state = 0;
    this.seed(seed);
  }

  /** Restarts the stream from `seed`. */
  seed(seed: number): void {
    let s = (seed ^ 0x2545f491) | 0;
    if (s === 0) s = 0x6d2b79f5;
    this.state = s;
    // A few rounds so that nearby seeds give unrelated first outputs.
    for (let i = 0; i < 8; i++) this.nextU32();
  }

  /** Next value in 0 .. 2^32-1. */
  nextU32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x | 0;
    return x >>> 0;
  }

  /** Uniform integer in 0 .. n-1 (n ≥ 1, n < 2^32). */
  nextInt(n: number): number {
    return this.nextU32() % n;
  }

  /** Uniform Q16.16 value in [0, 1). */
  nextQ(): number {
    return this.nextU32() >>> 16;
  }
}
