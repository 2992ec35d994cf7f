/**
 * Idle life: the small movements that keep the face from looking frozen —
 * blinking at random 2–6 s intervals, slow breathing, a gentle head sway —
 * and the listening pose (head tilted a little, eyes a little wider).
 *
 * Invariants: everything is driven by elapsed time passed to `step`, and the
 * only randomness comes from the injected `random` (seed it for tests), so
 * the same seed and steps give the same poses.
 */

export const BLINK_MIN_MS = 2000;
export const BLINK_MAX_MS = 6000;
/** One blink: lids close in 60 ms, stay 20 ms, open in 90 ms. */
export const BLINK_MS = 170;
export const BREATH_MS = 4200;
/** Extra head roll (degrees) and eye opening while listening. */
export const LISTEN_TILT_DEG = 3;
export const LISTEN_EYE_WIDEN = 0.08;
const LISTEN_EASE_MS = 180;

export interface IdlePose {
  /** 0 eyes open … 1 lids shut. */
  blink: number;
  /** −1 … 1, the phase of the breath (1 = full in). */
  breath: number;
  /** Head roll from the sway, degrees. */
  swayDeg: number;
  /** Sideways head drift from the sway, in SVG units. */
  swayX: number;
  /** Head roll from listening, degrees. */
  listenTilt: number;
  /** Extra eye opening from listening (0 … `LISTEN_EYE_WIDEN`). */
  eyeWiden: number;
}

export interface IdleOptions {
  /** Uniform 0…1; defaults to `Math.random`. */
  random?: () => number;
  /** No sway or breathing (blinks stay: they are not motion that can upset). */
  reducedMotion?: boolean;
}

/** A small, fast, seedable PRNG (mulberry32) returning 0 ≤ x < 1. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class IdleAnimator {
  readonly #random: () => number;
  reducedMotion: boolean;
  listening = false;
  #elapsed = 0;
  #untilBlink: number;
  /** Time into the current blink, or −1 when not blinking. */
  #blinkAt = -1;
  #listen = 0;
  readonly #phases: [number, number, number];

  constructor(options: IdleOptions = {}) {
    this.#random = options.random ?? Math.random;
    this.reducedMotion = options.reducedMotion ?? false;
    this.#untilBlink = this.#nextInterval();
    const tau = 2 * Math.PI;
    this.#phases = [this.#rand() * tau, this.#rand() * tau, this.#rand() * tau];
  }

  /** Advances by `dtMs` of elapsed time and returns the pose. */
  step(dtMs: number): IdlePose {
    const dt = Number.isFinite(dtMs) && dtMs > 0 ? dtMs : 0;
    this.#elapsed += dt;

    if (this.#blinkAt >= 0) {
      this.#blinkAt += dt;
      if (this.#blinkAt >= BLINK_MS) {
        this.#blinkAt = -1;
        this.#untilBlink = this.#nextInterval();
      }
    } else {
      this.#untilBlink -= dt;
      if (this.#untilBlink <= 0) this.#blinkAt = 0;
    }

    const goal = this.listening ? 1 : 0;
    this.#listen += (goal - this.#listen) * (1 - Math.exp(-dt / LISTEN_EASE_MS));

    const t = this.#elapsed;
    const [p1, p2, p3] = this.#phases;
    const wave = (periodMs: number, phase: number) =>
      this.reducedMotion ? 0 : Math.sin((2 * Math.PI * t) / periodMs + phase);
    return {
      blink: blinkCurve(this.#blinkAt),
      breath: wave(BREATH_MS, 0),
      swayDeg: 0.8 * wave(7300, p1) + 0.4 * wave(11900, p2),
      swayX: 0.7 * wave(9100, p3),
      listenTilt: this.#listen * LISTEN_TILT_DEG,
      eyeWiden: this.#listen * LISTEN_EYE_WIDEN,
    };
  }

  /** Milliseconds until the next blink starts (0 while blinking). */
  get msUntilBlink(): number {
    return this.#blinkAt >= 0 ? 0 : Math.max(0, this.#untilBlink);
  }

  #rand(): number {
    const r = this.#random();
    return Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5;
  }

  #nextInterval(): number {
    return BLINK_MIN_MS + this.#rand() * (BLINK_MAX_MS - BLINK_MIN_MS);
  }
}

/** Lid closure at `ms` into a blink (0 outside one). */
function blinkCurve(ms: number): number {
  if (ms < 0) return 0;
  if (ms < 60) return easeInOut(ms / 60);
  if (ms < 80) return 1;
  if (ms < BLINK_MS) return 1 - easeInOut((ms - 80) / (BLINK_MS - 80));
  return 0;
}

function easeInOut(x: number): number {
  return x * x * (3 - 2 * x);
}
