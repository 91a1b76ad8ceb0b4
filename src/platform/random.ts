// Seeded pseudo-random numbers: the same seed gives the same sequence, so draws (quiz order,
// demo data, simulated declarations, model training) can be reproduced and tested.
// Not for secrets or tokens: those come from node:crypto.

/** mulberry32: floats in [0, 1) from a 32-bit seed (a seed of 0 is replaced by a fixed constant). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter, 32-bit) from a 128-bit state given as four
 * 32-bit words, warmed up by 12 draws as its author recommends: floats in [0, 1).
 */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}
