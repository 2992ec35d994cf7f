/**
 * Facial expressions for the reply's emotion, and the blender that eases the
 * face from one expression to the next.
 *
 * Invariants: the blender moves towards its target exponentially with time
 * constant `EASE_MS` (95 % of the way in about 330 ms), so the result depends
 * only on elapsed time, never on the frame rate; the target is the reply
 * emotion's expression plus `MIRROR_STRENGTH` of the user's emotion's
 * difference from neutral. Unknown emotion strings count as neutral.
 */

/** The reply's emotion (the engine's `ReplyEmotion`). */
export const EMOTIONS = ["neutral", "happy", "concerned", "surprised", "sad"] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** What the user seems to feel (the engine's `UserEmotion`). */
export type UserEmotion = "neutral" | "happy" | "sad" | "angry" | "anxious" | "surprised";

export interface Expression {
  /** 0 resting … 1 fully raised brows. */
  browRaise: number;
  /** 0 smooth … 1 inner brows drawn down and together. */
  browFurrow: number;
  /** −1 mouth corners down … 1 full smile. */
  smile: number;
  /** Eye height as a factor of the resting eye (1). */
  eyeOpen: number;
  /** Head roll in degrees, positive towards the avatar's left shoulder (viewer's right). */
  headTilt: number;
}

export const EXPRESSIONS: Readonly<Record<Emotion, Readonly<Expression>>> = Object.freeze({
  neutral: { browRaise: 0, browFurrow: 0, smile: 0.12, eyeOpen: 1, headTilt: 0 },
  happy: { browRaise: 0.2, browFurrow: 0, smile: 0.8, eyeOpen: 0.9, headTilt: 1.5 },
  concerned: { browRaise: 0.3, browFurrow: 0.6, smile: -0.1, eyeOpen: 1.02, headTilt: 2.5 },
  surprised: { browRaise: 0.9, browFurrow: 0, smile: 0.05, eyeOpen: 1.25, headTilt: -1 },
  sad: { browRaise: 0.45, browFurrow: 0.45, smile: -0.45, eyeOpen: 0.86, headTilt: -2 },
});

/**
 * How the twin mirrors the user: a gentle copy of their mood, but never
 * anger or anxiety back at them; those are met with concern.
 */
export const MIRROR_OF: Readonly<Record<UserEmotion, Emotion>> = Object.freeze({
  neutral: "neutral",
  happy: "happy",
  sad: "sad",
  angry: "concerned",
  anxious: "concerned",
  surprised: "surprised",
});

/** Share of the user's emotion that is mirrored. */
export const MIRROR_STRENGTH = 0.3;
/** Time constant of the easing, in ms. */
export const EASE_MS = 110;

const KEYS = ["browRaise", "browFurrow", "smile", "eyeOpen", "headTilt"] as const;

/** The expression for `emotion`; unknown values (from untrusted data) give neutral. */
export function expressionFor(emotion: unknown): Expression {
  const key = typeof emotion === "string" && Object.hasOwn(EXPRESSIONS, emotion) ? (emotion as Emotion) : "neutral";
  return { ...EXPRESSIONS[key] };
}

/** The reply emotion the twin mirrors for `user`, or null for none or unknown. */
export function mirrorOf(user: unknown): Emotion | null {
  if (typeof user !== "string") return null;
  if (Object.hasOwn(MIRROR_OF, user)) return MIRROR_OF[user as UserEmotion];
  return Object.hasOwn(EXPRESSIONS, user) ? (user as Emotion) : null;
}

export interface BlenderOptions {
  easeMs?: number;
  mirrorStrength?: number;
}

export class ExpressionBlender {
  readonly #easeMs: number;
  readonly #mirrorStrength: number;
  #emotion: Emotion = "neutral";
  #mirror: Emotion | null = null;
  #target: Expression;
  #current: Expression;

  constructor(initial: Emotion = "neutral", options: BlenderOptions = {}) {
    this.#easeMs = Math.max(1, options.easeMs ?? EASE_MS);
    this.#mirrorStrength = options.mirrorStrength ?? MIRROR_STRENGTH;
    this.#emotion = Object.hasOwn(EXPRESSIONS, initial) ? initial : "neutral";
    this.#target = this.#computeTarget();
    this.#current = { ...this.#target };
  }

  /** The reply emotion to move towards. */
  setTarget(emotion: Emotion): void {
    this.#emotion = Object.hasOwn(EXPRESSIONS, emotion) ? emotion : "neutral";
    this.#target = this.#computeTarget();
  }

  /** Adds a softer copy of the user's emotion to the target; null removes it. */
  mirror(userEmotion: UserEmotion | Emotion | null | undefined): void {
    this.#mirror = mirrorOf(userEmotion);
    this.#target = this.#computeTarget();
  }

  /** Advances by `dtMs` of elapsed time and returns the current expression. */
  step(dtMs: number): Expression {
    // NaN and negative steps count as no time; an infinite one settles.
    const dt = dtMs > 0 ? dtMs : 0;
    const k = 1 - Math.exp(-dt / this.#easeMs);
    for (const key of KEYS) this.#current[key] += (this.#target[key] - this.#current[key]) * k;
    return this.current;
  }

  /** Jumps straight to the target (for a first frame or reduced motion). */
  settle(): Expression {
    this.#current = { ...this.#target };
    return this.current;
  }

  get current(): Expression {
    return { ...this.#current };
  }

  get target(): Expression {
    return { ...this.#target };
  }

  #computeTarget(): Expression {
    const base = expressionFor(this.#emotion);
    if (!this.#mirror || this.#mirrorStrength === 0) return base;
    const m = EXPRESSIONS[this.#mirror];
    const n = EXPRESSIONS.neutral;
    for (const key of KEYS) base[key] += (m[key] - n[key]) * this.#mirrorStrength;
    base.smile = clamp(base.smile, -1, 1);
    base.browRaise = clamp(base.browRaise, 0, 1);
    base.browFurrow = clamp(base.browFurrow, 0, 1);
    return base;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
