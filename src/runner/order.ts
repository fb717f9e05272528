/** The order targets take samples in, round by round. */
export type Order = 'interleaved' | 'randomized' | 'sequential';

/** A small seeded PRNG (mulberry32), so a randomized order can be reproduced from the recorded seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * interleaved: A B C, then C B A, … (counterbalanced, so no target always goes first after a pause);
 * randomized: a fresh seeded shuffle every round. (sequential is handled by the runner: one target at a time.)
 */
export function roundOrder<T>(items: readonly T[], round: number, order: Order, random: () => number): T[] {
  const list = [...items];
  if (order === 'randomized') {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j] as T, list[i] as T];
    }
    return list;
  }
  return round % 2 === 1 ? list.reverse() : list;
}
