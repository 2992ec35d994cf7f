/**
 * One frame of the face: idle life, expression and mouth combined into the
 * numbers the SVG needs.
 *
 * Invariant: `composePose` is pure and total: any finite inputs give finite,
 * bounded outputs (eyes never open past 1.5, the head never rolls past 8°).
 */
import type { Expression } from "./expression";
import type { IdlePose } from "./idle";
import type { MouthShape } from "./visemes";

export interface FacePose {
  /** Head roll in degrees and drift in SVG units. */
  headDeg: number;
  headX: number;
  headY: number;
  /** Vertical scale of the torso (breathing). */
  torsoScale: number;
  /** Lid opening, 0 shut … 1.5. */
  eyeOpen: number;
  browRaise: number;
  browFurrow: number;
  smile: number;
  mouth: MouthShape;
}

export function composePose(idle: IdlePose, expression: Expression, mouth: MouthShape): FacePose {
  const eyeOpen = expression.eyeOpen * (1 + idle.eyeWiden) * (1 - idle.blink);
  return {
    headDeg: clamp(expression.headTilt + idle.listenTilt + idle.swayDeg, -8, 8),
    headX: clamp(idle.swayX, -3, 3),
    headY: clamp(-0.7 * idle.breath, -2, 2),
    torsoScale: 1 + 0.01 * clamp(idle.breath, -1, 1),
    eyeOpen: clamp(eyeOpen, 0, 1.5),
    browRaise: clamp(expression.browRaise + idle.eyeWiden * 1.5, 0, 1.2),
    browFurrow: clamp(expression.browFurrow, 0, 1),
    smile: clamp(expression.smile, -1, 1),
    mouth,
  };
}

function clamp(v: number, min: number, max: number): number {
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : Math.min(max, Math.max(min, 0));
}
