/** The median of some measurements (the upper middle one of an even count); NaN for none. */
export const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
