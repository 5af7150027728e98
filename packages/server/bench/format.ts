// Shared by the server benches: how they print a duration.

/** Milliseconds as seconds with two decimals: `1.23 s`. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
