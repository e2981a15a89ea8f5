// A seeded coin for probabilistic fault rules ("about 10 % of calls fail"): the same seed fires on the
// same matching requests in every run, so a test that uses it is repeatable.

/** mulberry32: small, fast, and good enough to spread faults evenly. */
export const seededChance = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};
