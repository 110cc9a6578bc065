/** Colour scales: white to blue for weights in [0, 1], red-white-blue for values in [-1, 1]. */
const BLUE = [11, 87, 208];
const RED = [179, 38, 30];

function mix(rgb: number[], t: number): string {
  const c = Math.max(0, Math.min(1, t));
  return `rgb(${rgb.map((v) => Math.round(255 - (255 - v) * c)).join(',')})`;
}

/** A weight in [0, 1] (the square root spreads out the many small weights). */
export function weightColor(w: number): string {
  return mix(BLUE, Math.sqrt(Math.max(0, w)));
}

/** A value in [-1, 1]: negative red, positive blue. */
export function signedColor(v: number): string {
  return v < 0 ? mix(RED, -v) : mix(BLUE, v);
}

/** Text colour readable on weightColor(w). */
export function inkOn(w: number): string {
  return Math.sqrt(Math.max(0, w)) > 0.6 ? '#fff' : '#1d1d1f';
}
