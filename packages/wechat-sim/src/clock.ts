/**
 * The simulator's notion of "now". Tests shift it to expire login codes, tokens and orders, or to
 * skew signature timestamps, without waiting. Timers (notify retries, refund completion) keep using
 * real time, scaled separately.
 */
export interface SimClock {
  now(): number;
  nowSeconds(): number;
  offsetSeconds(): number;
  setOffsetSeconds(seconds: number): void;
}

export function createSimClock(): SimClock {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    nowSeconds: () => Math.floor((Date.now() + offsetMs) / 1000),
    offsetSeconds: () => offsetMs / 1000,
    setOffsetSeconds: (seconds) => {
      offsetMs = Math.round(seconds * 1000);
    },
  };
}
