/**
 * Colour arithmetic for the avatar's derived shades (shadows, lips, lapels).
 *
 * Invariant: inputs are `#rrggbb` (see `isHexColor`); anything else is read
 * as black rather than passed through, and outputs are always `#rrggbb`.
 */
import { isHexColor } from "./appearance";

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  if (!isHexColor(hex)) return [0, 0, 0];
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  const part = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, "0");
  return `#${part(r)}${part(g)}${part(b)}`;
}

/** `a` moved `amount` (0…1) of the way towards `b`. */
export function mix(a: string, b: string, amount: number): string {
  const x = toRgb(a);
  const y = toRgb(b);
  const t = Math.min(1, Math.max(0, amount));
  return toHex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

/** Darker (negative `amount`, towards black) or lighter (positive, towards white). */
export function shade(hex: string, amount: number): string {
  return amount < 0 ? mix(hex, "#000000", -amount) : mix(hex, "#ffffff", amount);
}

/** Relative luminance, 0 (black) … 1 (white). */
export function luminance(hex: string): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = toRgb(hex);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
