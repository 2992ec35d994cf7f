/**
 * Drives a VRM avatar from the same data as the SVG face: each AvatarFrame
 * (and the blender's current expression) becomes VRM expression weights —
 * mouth shapes `aa ih ou ee oh`, `blink`, and the emotions `happy angry sad
 * relaxed surprised` — and a small head rotation.
 *
 * Invariants: the mapping (`vrmWeights`, `headRotation`) is pure, total and
 * continuous in time: every weight is finite and in 0…1 for any input, and a
 * change of viseme or emotion blends rather than jumps, because it is
 * computed from the blended mouth shape and expression, never from the
 * dominant viseme or the target emotion. `applyFrame` skips the expressions a
 * model lacks, silently.
 */
import type { VRM } from "@pixiv/three-vrm";
import type { AvatarFrame } from "../driver";
import type { Emotion, Expression } from "../expression";
import { EMOTIONS, EXPRESSIONS } from "../expression";
import type { FacePose } from "../pose";
import type { MouthShape } from "../visemes";
import { MOUTH_SHAPES, VISEMES } from "../visemes";

/** VRM's mouth shapes; the engine's vowel visemes have the same names. */
export const VRM_VISEMES = ["aa", "ih", "ou", "ee", "oh"] as const;
export type VrmViseme = (typeof VRM_VISEMES)[number];
export const VRM_EMOTIONS = ["happy", "angry", "sad", "relaxed", "surprised"] as const;
export type VrmEmotion = (typeof VRM_EMOTIONS)[number];
/** Every VRM expression the twin drives. */
export const VRM_EXPRESSIONS = [...VRM_VISEMES, "blink", ...VRM_EMOTIONS] as const;
export type VrmExpressionName = (typeof VRM_EXPRESSIONS)[number];

/**
 * The VRM expressions that show each reply emotion at full strength. Below
 * 1, because VRM editors make their presets strong (VRoid's `happy` shuts
 * the eyes). Neutral keeps a trace of `relaxed`, as the SVG face keeps a
 * slight smile. `angry` is never used: the twin meets anger with concern
 * (see `MIRROR_OF`), and concern reads as brows raised and drawn together —
 * part sadness, a little surprise.
 */
export const EMOTION_TO_VRM: Readonly<Record<Emotion, Readonly<Partial<Record<VrmEmotion, number>>>>> = Object.freeze({
  neutral: { relaxed: 0.2 },
  happy: { happy: 0.7 },
  concerned: { sad: 0.35, surprised: 0.15 },
  surprised: { surprised: 0.8 },
  sad: { sad: 0.7 },
});

/** Head motion from the pose: degrees of yaw per SVG unit of sideways drift, of pitch per unit of rise. */
const YAW_DEG_PER_UNIT = 1.2;
const PITCH_DEG_PER_UNIT = 1;
const DEG = Math.PI / 180;

/**
 * How closely a pair of visemes must explain the mouth shape to count (see
 * `visemeWeights`); small, so that an exact fit wins outright.
 */
const FIT_TOLERANCE = 0.005;
const SHAPE_KEYS = ["jawOpen", "width", "roundness", "lipPress"] as const;
const SHAPE_VECTORS = VISEMES.map((v) => SHAPE_KEYS.map((k) => MOUTH_SHAPES[v][k]));
/** Every pair of visemes, by index into VISEMES. */
const PAIRS: readonly (readonly [number, number])[] = VISEMES.flatMap((_, i) =>
  VISEMES.flatMap((__, j) => (j > i ? [[i, j] as const] : [])),
);

/**
 * How much of each VRM mouth expression the mouth shape is. The scheduler's
 * shape is a blend of viseme shapes, of two at a change of viseme, so it
 * lies on the segment between their shapes and its place there gives their
 * shares. Every pair is fitted and weighted by how closely it matches: an
 * exact fit dominates, and weighting rather than picking keeps the result
 * continuous. Around a viseme shorter than `BLEND_MS` three blend, and the
 * nearest pair stands in for them (no fit from the shape alone can tell
 * three vowels apart: they differ in only three numbers). Near 1 at a pure
 * viseme; near 0 for the closed and resting mouths, which VRM has no
 * expressions for.
 */
export function visemeWeights(shape: MouthShape): Record<VrmViseme, number> {
  const x = SHAPE_KEYS.map((k) => finite(shape[k]));
  const fits = PAIRS.map(([i, j]) => {
    const a = SHAPE_VECTORS[i] as number[];
    const d = (SHAPE_VECTORS[j] as number[]).map((bk, k) => bk - (a[k] as number));
    const y = x.map((xk, k) => xk - (a[k] as number));
    const along = d.reduce((acc, dk, k) => acc + dk * (y[k] as number), 0) / d.reduce((acc, dk) => acc + dk * dk, 0);
    const t = Math.min(1, Math.max(0, along));
    const miss = y.reduce((acc, yk, k) => acc + (yk - t * (d[k] as number)) ** 2, 0);
    return { i, j, t, miss };
  });
  const best = Math.min(...fits.map((f) => f.miss));
  const share = new Array<number>(VISEMES.length).fill(0);
  let total = 0;
  for (const { i, j, t, miss } of fits) {
    const w = Math.exp(-(miss - best) / (FIT_TOLERANCE * FIT_TOLERANCE));
    share[i] = (share[i] as number) + w * (1 - t);
    share[j] = (share[j] as number) + w * t;
    total += w;
  }
  const out = {} as Record<VrmViseme, number>;
  for (const v of VRM_VISEMES) out[v] = clamp01((share[VISEMES.indexOf(v)] as number) / total);
  return out;
}

const KEYS = ["browRaise", "browFurrow", "smile", "eyeOpen", "headTilt"] as const;
/** Rough range of each field, so that no one field dominates the fit. */
const SCALE: Readonly<Record<(typeof KEYS)[number], number>> = { browRaise: 1, browFurrow: 1, smile: 1, eyeOpen: 0.25, headTilt: 3 };
const MOODS = EMOTIONS.filter((e): e is Exclude<Emotion, "neutral"> => e !== "neutral");
const offsets = (e: Emotion) => KEYS.map((k) => (EXPRESSIONS[e][k] - EXPRESSIONS.neutral[k]) / SCALE[k]);
const SOLVER = leastSquares(MOODS.map(offsets));

/**
 * How much of each reply emotion the blended expression shows. The blender
 * eases between linear mixes of `EXPRESSIONS` (the reply's emotion plus a
 * share of the mirrored one), so its expression is neutral plus a mix of the
 * other emotions' offsets from neutral; those offsets are linearly
 * independent, so a least-squares fit recovers the mix exactly (and
 * degrades gracefully where the blender clamped a field). Shares are ≥ 0;
 * neutral gets what the others leave.
 */
export function emotionShares(expression: Expression): Record<Emotion, number> {
  const d = KEYS.map((k) => (finite(expression[k]) - EXPRESSIONS.neutral[k]) / SCALE[k]);
  const out = { neutral: 0 } as Record<Emotion, number>;
  let total = 0;
  MOODS.forEach((mood, i) => {
    const row = SOLVER[i] as number[];
    const w = Math.max(0, row.reduce((acc, p, j) => acc + p * (d[j] as number), 0));
    out[mood] = w;
    total += w;
  });
  out.neutral = Math.max(0, 1 - total);
  return out;
}

/**
 * Lid closure 0…1 from the idle animator's blink. The pose folds the blink
 * into `eyeOpen` (`composePose`: expression × (1 + listening widen) × (1 − blink)),
 * and the widening also raised the brows by 1.5 × widen, so the blink is
 * recovered from the pose and the expression it was composed from.
 */
export function blinkWeight(pose: FacePose, expression: Expression): number {
  const widen = Math.max(0, (finite(pose.browRaise) - finite(expression.browRaise)) / 1.5);
  const open = finite(expression.eyeOpen) * (1 + widen);
  if (open <= 0) return 0;
  return clamp01(1 - finite(pose.eyeOpen) / open);
}

/** Every driven VRM expression's weight for one frame; `expression` is the blender's current one. */
export function vrmWeights(frame: AvatarFrame, expression: Expression): Record<VrmExpressionName, number> {
  const mouth = visemeWeights(frame.pose.mouth);
  const shares = emotionShares(expression);
  const out = { ...mouth, blink: blinkWeight(frame.pose, expression) } as Record<VrmExpressionName, number>;
  for (const name of VRM_EMOTIONS) {
    let w = 0;
    for (const e of EMOTIONS) w += shares[e] * (EMOTION_TO_VRM[e][name] ?? 0);
    out[name] = clamp01(w);
  }
  return out;
}

/** Head rotation in radians, in VRM 1.0's normalised frame (the avatar faces +Z, +X is its left). */
export interface HeadRotation {
  /** About X; positive nods down. */
  pitch: number;
  /** About Y; positive turns towards the avatar's left. */
  yaw: number;
  /** About Z; positive tips the head towards the avatar's right shoulder. */
  roll: number;
}

/** The pose's head roll, sway and breathing as a head rotation. */
export function headRotation(pose: FacePose): HeadRotation {
  return {
    pitch: finite(pose.headY) * PITCH_DEG_PER_UNIT * DEG,
    // The SVG's +x is the viewer's right, which is the avatar's left.
    yaw: finite(pose.headX) * YAW_DEG_PER_UNIT * DEG,
    // `headDeg` leans towards the avatar's left shoulder, a negative turn about Z.
    roll: -finite(pose.headDeg) * DEG,
  };
}

/** The driven expressions the avatar does not have (for telling the user what will not move). */
export function missingExpressions(vrm: VRM): VrmExpressionName[] {
  return VRM_EXPRESSIONS.filter((name) => !vrm.expressionManager?.getExpression(name));
}

/**
 * Writes one frame into the avatar: expression weights and the head bone's
 * rotation. Call `vrm.update(dt)` afterwards to carry them to the mesh.
 */
export function applyFrame(vrm: VRM, frame: AvatarFrame, expression: Expression): void {
  const manager = vrm.expressionManager;
  if (manager) {
    const weights = vrmWeights(frame, expression);
    for (const name of VRM_EXPRESSIONS) {
      if (manager.getExpression(name)) manager.setValue(name, weights[name]);
    }
  }
  const head = vrm.humanoid.getNormalizedBoneNode("head");
  if (head) {
    const r = headRotation(frame.pose);
    // VRM 0.x avatars are turned to face +Z when loaded, but their normalised
    // bones keep the old frame, where pitch and roll run the other way.
    const flip = vrm.meta.metaVersion === "0" ? -1 : 1;
    head.rotation.set(flip * r.pitch, r.yaw, flip * r.roll);
  }
}

/** The matrix P with P·d = argmin ‖Σ wᵢ rowsᵢ − d‖ (rows must be independent). */
function leastSquares(rows: number[][]): number[][] {
  const m = rows.length;
  const dot = (a: number[], b: number[]) => a.reduce((acc, x, i) => acc + x * (b[i] as number), 0);
  // Gauss–Jordan on [G | I] with G = rows · rowsᵀ.
  const aug = rows.map((r, i) => [...rows.map((s) => dot(r, s)), ...rows.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(aug[r]![c]!) > Math.abs(aug[pivot]![c]!)) pivot = r;
    [aug[c], aug[pivot]] = [aug[pivot]!, aug[c]!];
    const row = aug[c]!;
    const p = row[c]!;
    for (let k = 0; k < 2 * m; k++) row[k] = row[k]! / p;
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = aug[r]![c]!;
      for (let k = 0; k < 2 * m; k++) aug[r]![k] = aug[r]![k]! - f * row[k]!;
    }
  }
  const inverse = aug.map((r) => r.slice(m));
  const n = rows[0]?.length ?? 0;
  return inverse.map((inv) => Array.from({ length: n }, (_, j) => inv.reduce((acc, g, k) => acc + g * rows[k]![j]!, 0)));
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
