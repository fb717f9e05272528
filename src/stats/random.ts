/**
 * Small deterministic pseudo-random generator for resampling and simulation: xoshiro128** (Blackman &
 * Vigna), state seeded from a 32-bit integer through the MurmurHash3 finalizer. Not cryptographic.
 */

export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2³², without modulo bias. */
  nextInt(n: number): number;
  /** Standard normal variate (Marsaglia's polar method). */
  nextNormal(): number;
}

function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Creates a generator; the same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const low = Math.floor(seed) >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) state[i] = mix32(low + Math.imul(i + 1, 0x9e3779b9) + mix32(high ^ i));
  if (state[0]! === 0 && state[1]! === 0 && state[2]! === 0 && state[3]! === 0) state[0] = 1;
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };

  let spareNormal: number | null = null;

  const nextFloat = (): number => {
    const a = nextUint32() >>> 5; // 27 bits
    const b = nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  };

  return {
    nextFloat,
    nextInt(n: number): number {
      if (!(n >= 1 && n <= 4294967296) || !Number.isInteger(n)) throw new RangeError(`nextInt: bad bound ${n}`);
      const limit = 4294967296 - (4294967296 % n);
      let u = nextUint32();
      while (u >= limit) u = nextUint32();
      return u % n;
    },
    nextNormal(): number {
      if (spareNormal !== null) {
        const z = spareNormal;
        spareNormal = null;
        return z;
      }
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * nextFloat() - 1;
        v = 2 * nextFloat() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const factor = Math.sqrt((-2 * Math.log(s)) / s);
      spareNormal = v * factor;
      return u * factor;
    },
  };
}
