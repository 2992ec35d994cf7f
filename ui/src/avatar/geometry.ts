/**
 * The avatar's geometry in its 200 × 220 viewBox: where the features sit for
 * each face shape, and the per-frame paths of the moving parts (eyes, brows,
 * mouth), as pure functions so they can be tested without a DOM.
 *
 * Invariant: every number written into a path is finite and rounded to two
 * decimals (no "NaN" reaches the SVG, and the strings stay short).
 */
import type { FaceShape } from "./appearance";
import type { MouthShape } from "./visemes";

export const VIEW_W = 200;
export const VIEW_H = 220;

export interface FaceLayout {
  cx: number;
  cy: number;
  /** Half width and half height of the head. */
  rx: number;
  ry: number;
  eyeY: number;
  /** Distance from the centre line to each eye. */
  eyeDx: number;
  browY: number;
  noseY: number;
  mouthY: number;
  /** Where the head turns on the neck. */
  pivotY: number;
}

const BASE = { cx: 100, cy: 91 };

export function faceLayout(shape: FaceShape): FaceLayout {
  const size = { oval: { rx: 40, ry: 50 }, round: { rx: 44, ry: 46 }, square: { rx: 42, ry: 48 } }[shape];
  const { cx, cy } = BASE;
  return {
    cx,
    cy,
    ...size,
    eyeY: cy + 3,
    eyeDx: 16,
    browY: cy - 8,
    noseY: cy + 19,
    mouthY: cy + 30,
    pivotY: cy + size.ry + 4,
  };
}

/** The head outline. */
export function headPath(shape: FaceShape, l: FaceLayout): string {
  const { cx, cy, rx, ry } = l;
  if (shape === "square") {
    const top = cy - ry;
    const bottom = cy + ry;
    const jaw = rx - 6;
    return svgPath`M ${cx - rx} ${cy - 6}
      C ${cx - rx} ${top + 8} ${cx - rx + 14} ${top} ${cx} ${top}
      C ${cx + rx - 14} ${top} ${cx + rx} ${top + 8} ${cx + rx} ${cy - 6}
      L ${cx + rx - 1} ${cy + 18}
      C ${cx + rx - 2} ${cy + 34} ${cx + jaw - 6} ${bottom} ${cx} ${bottom}
      C ${cx - jaw + 6} ${bottom} ${cx - rx + 2} ${cy + 34} ${cx - rx + 1} ${cy + 18} Z`;
  }
  // An egg: a little wider at the cheekbones than at the chin.
  const chin = shape === "round" ? 0.62 : 0.5;
  return svgPath`M ${cx - rx} ${cy}
    C ${cx - rx} ${cy - ry * 0.56} ${cx - rx * 0.56} ${cy - ry} ${cx} ${cy - ry}
    C ${cx + rx * 0.56} ${cy - ry} ${cx + rx} ${cy - ry * 0.56} ${cx + rx} ${cy}
    C ${cx + rx} ${cy + ry * 0.6} ${cx + rx * chin} ${cy + ry} ${cx} ${cy + ry}
    C ${cx - rx * chin} ${cy + ry} ${cx - rx} ${cy + ry * 0.6} ${cx - rx} ${cy} Z`;
}

/** An almond eye whose lids are `open` (0 shut … ~1.4 wide) of the resting height. */
export function eyePath(ex: number, ey: number, open: number): string {
  const o = Math.max(0, open);
  const w = 7.2;
  const up = 5.4 * o;
  const down = 3.6 * o;
  // Quadratic control points at twice the height reach the wanted peak.
  return svgPath`M ${ex - w} ${ey} Q ${ex} ${ey - 2 * up} ${ex + w} ${ey} Q ${ex} ${ey + 2 * down} ${ex - w} ${ey} Z`;
}

/** The upper lid's lash line. */
export function lashPath(ex: number, ey: number, open: number): string {
  const o = Math.max(0, open);
  const w = 7.2;
  return svgPath`M ${ex - w - 0.6} ${ey + 0.4} Q ${ex} ${ey - 10.8 * o} ${ex + w + 0.4} ${ey - 0.2}`;
}

/**
 * One brow. `side` is −1 for the viewer's left, 1 for the right.
 * `raise` lifts the whole brow; `furrow` draws the inner end in and up (worry).
 */
export function browPath(l: FaceLayout, side: -1 | 1, raise: number, furrow: number): string {
  const ex = l.cx + side * l.eyeDx;
  const innerX = ex - side * (7 - 1.4 * furrow);
  const outerX = ex + side * 8.5;
  const innerY = l.browY - 4.2 * raise - 3.6 * furrow;
  const outerY = l.browY - 3 * raise + 1.6 * furrow + 0.6;
  const midX = (innerX + outerX) / 2;
  // Worry flattens the arch into a slope.
  const midY = (innerY + outerY) / 2 - 2.6 * (1 - 0.6 * furrow);
  return svgPath`M ${innerX} ${innerY} Q ${midX} ${midY} ${outerX} ${outerY}`;
}

export interface MouthPaths {
  /** The lips' outline (stroked) and the dark opening inside it (filled). */
  outline: string;
  /** Upper teeth, shown inside the opening. */
  teeth: string;
  teethOpacity: number;
  lipWidth: number;
}

/** The mouth for `shape`, with corners lifted by `smile` (−1 … 1). */
export function mouthPaths(l: FaceLayout, shape: MouthShape, smile: number): MouthPaths {
  const { cx, mouthY: my } = l;
  const jaw = clamp01(shape.jawOpen);
  const round = clamp01(shape.roundness);
  const s = Math.max(-1, Math.min(1, smile));
  const hw = 10.5 * (0.7 + 0.6 * clamp01(shape.width)) * (1 + 0.1 * Math.max(0, s));
  // Round lips open a little further than the jaw alone (an "o" is a hole, not a slit).
  const gap = 14 * jaw + 3 * round * clamp01(jaw * 4);
  const up = gap * 0.3;
  const down = gap * 0.7;
  const corner = my - 2.8 * s;
  // Control points near the centre give pointed corners; near the corners, an "o".
  const c = hw * (0.3 + 0.7 * round);
  // Cubic controls at 4/3 of the wanted peak.
  const top = my - up / 0.75;
  const bottom = my + down / 0.75;
  const outline = svgPath`M ${cx - hw} ${corner} C ${cx - c} ${top} ${cx + c} ${top} ${cx + hw} ${corner} C ${cx + c} ${bottom} ${cx - c} ${bottom} ${cx - hw} ${corner} Z`;
  const teethTop = my - up - 1;
  const teeth = svgPath`M ${cx - hw} ${teethTop} H ${cx + hw} V ${teethTop + 2.2 + 1.6 * jaw} H ${cx - hw} Z`;
  return {
    outline,
    teeth,
    teethOpacity: round2(clamp01((jaw - 0.12) * 4) * clamp01(1.4 - round)),
    lipWidth: round2(1.9 - 0.5 * clamp01(shape.lipPress) + 0.5 * round),
  };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/** Rounds to two decimals; non-finite numbers become 0. */
export function round2(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 100) / 100 : 0;
}

/** A template tag that rounds every number and collapses whitespace. */
export function svgPath(strings: TemplateStringsArray, ...values: number[]): string {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += String(round2(v)) + (strings[i + 1] ?? "");
  });
  return out.replace(/\s+/g, " ").trim();
}
