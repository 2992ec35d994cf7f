/**
 * Mouth shapes for the engine's visemes, and the scheduler that turns a
 * viseme timeline into a mouth shape at the audio's playback position.
 *
 * Invariants: after `load`, the timeline is sorted, non-overlapping, with
 * finite, non-negative times and known visemes (anything else was dropped or
 * trimmed; see `sanitizeTimeline`). `sample` is a continuous function of time: the timeline (with
 * "rest" in the gaps and outside it) is smoothed with a tent kernel, so each
 * change of viseme blends over `BLEND_MS` centred on the boundary, and a
 * viseme shorter than that is reached only partly, as in real speech.
 */

export const VISEMES = ["aa", "ih", "ou", "ee", "oh", "closed", "rest"] as const;
export type Viseme = (typeof VISEMES)[number];

/** One entry of the timeline the engine sends with a reply's audio. */
export interface TimedViseme {
  viseme: Viseme;
  /** Milliseconds from the start of the reply's audio. */
  start_ms: number;
  end_ms: number;
}

/** A mouth pose; every field is 0…1. */
export interface MouthShape {
  /** 0 closed … 1 wide open. */
  jawOpen: number;
  /** 0 pursed (narrowest) … 1 spread (widest); 0.5 is relaxed. */
  width: number;
  /** 0 flat corners … 1 round "o" lips. */
  roundness: number;
  /** 0 soft lips … 1 lips pressed together. */
  lipPress: number;
}

export const MOUTH_SHAPES: Readonly<Record<Viseme, Readonly<MouthShape>>> = Object.freeze({
  aa: { jawOpen: 0.85, width: 0.62, roundness: 0.2, lipPress: 0 },
  ih: { jawOpen: 0.28, width: 0.72, roundness: 0.05, lipPress: 0 },
  ou: { jawOpen: 0.3, width: 0.15, roundness: 1, lipPress: 0 },
  ee: { jawOpen: 0.5, width: 0.66, roundness: 0.15, lipPress: 0 },
  oh: { jawOpen: 0.62, width: 0.32, roundness: 0.85, lipPress: 0 },
  closed: { jawOpen: 0, width: 0.5, roundness: 0.1, lipPress: 1 },
  rest: { jawOpen: 0.03, width: 0.5, roundness: 0.1, lipPress: 0.25 },
});

/** How long a change of viseme takes (coarticulation), in ms. */
export const BLEND_MS = 50;
/** Longer timelines are cut (about ten minutes of speech). */
export const MAX_VISEMES = 20_000;

const HALF = BLEND_MS / 2;

/**
 * Cleans an untrusted timeline: drops entries that are not objects, have an
 * unknown viseme or non-finite times; clamps negative times to 0; drops empty
 * or reversed spans. Where spans overlap, the one that started later wins
 * (on a tie, the one listed later) and an earlier one still going resumes
 * when it ends. The result is sorted, non-overlapping, with touching equal
 * visemes merged.
 */
export function sanitizeTimeline(input: unknown): TimedViseme[] {
  if (!Array.isArray(input)) return [];
  const spans: TimedViseme[] = [];
  for (const item of input.slice(0, MAX_VISEMES) as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const { viseme, start_ms, end_ms } = item as Record<string, unknown>;
    if (typeof viseme !== "string" || !(VISEMES as readonly string[]).includes(viseme)) continue;
    if (typeof start_ms !== "number" || typeof end_ms !== "number") continue;
    if (!Number.isFinite(start_ms) || !Number.isFinite(end_ms)) continue;
    const start = Math.max(0, start_ms);
    const end = Math.max(0, end_ms);
    if (end > start) spans.push({ viseme: viseme as Viseme, start_ms: start, end_ms: end });
  }
  // Array.prototype.sort is stable, so equal starts keep their listed order.
  spans.sort((a, b) => a.start_ms - b.start_ms);

  // Sweep the boundaries; the active span is the latest-started one not yet ended.
  const times = [...new Set(spans.flatMap((v) => [v.start_ms, v.end_ms]))].sort((a, b) => a - b);
  const stack: TimedViseme[] = [];
  const out: TimedViseme[] = [];
  let next = 0;
  for (let i = 0; i + 1 < times.length; i++) {
    const from = times[i] as number;
    const to = times[i + 1] as number;
    while (next < spans.length && (spans[next] as TimedViseme).start_ms <= from) stack.push(spans[next++] as TimedViseme);
    while (stack.length > 0 && (stack[stack.length - 1] as TimedViseme).end_ms <= from) stack.pop();
    // Spans below the top may have ended; they are dropped when they surface.
    const top = stack[stack.length - 1];
    if (!top) continue;
    const last = out[out.length - 1];
    if (last && last.viseme === top.viseme && last.end_ms === from) last.end_ms = to;
    else out.push({ viseme: top.viseme, start_ms: from, end_ms: to });
  }
  return out;
}

/** The mouth at one moment: its shape, the viseme that weighs most, and whether speech is playing. */
export interface MouthFrame {
  viseme: Viseme;
  shape: MouthShape;
  speaking: boolean;
}

export class VisemeScheduler {
  #timeline: TimedViseme[] = [];
  #clock: (() => number) | null = null;

  /** Replaces the timeline (sanitised; see `sanitizeTimeline`). */
  load(timeline: unknown): void {
    this.#timeline = sanitizeTimeline(timeline);
  }

  /** The sanitised timeline (a copy). */
  get timeline(): TimedViseme[] {
    return this.#timeline.map((v) => ({ ...v }));
  }

  /** End of the last viseme, in ms (0 when empty). */
  get durationMs(): number {
    return this.#timeline[this.#timeline.length - 1]?.end_ms ?? 0;
  }

  /**
   * Follows `audioClockMs`, the audio's playback position in ms (for example
   * `() => audio.currentTime * 1000`), until `stop`.
   */
  start(audioClockMs: () => number): void {
    this.#clock = audioClockMs;
  }

  stop(): void {
    this.#clock = null;
  }

  get running(): boolean {
    return this.#clock !== null;
  }

  /** The audio clock's position in ms, or null when stopped or the clock fails. */
  now(): number | null {
    if (!this.#clock) return null;
    try {
      const ms = this.#clock();
      return Number.isFinite(ms) ? ms : null;
    } catch {
      return null;
    }
  }

  /** The mouth at the audio clock's current position ("rest" when stopped). */
  read(): MouthFrame {
    const ms = this.now();
    if (ms === null) return { viseme: "rest", shape: { ...MOUTH_SHAPES.rest }, speaking: false };
    const { shape, viseme } = this.#blend(ms);
    return { shape, viseme, speaking: ms >= 0 && ms <= this.durationMs && this.#timeline.length > 0 };
  }

  /** The blended mouth shape at `nowMs` on the audio clock. */
  sample(nowMs: number): MouthShape {
    return this.#blend(nowMs).shape;
  }

  /** The viseme with the largest share of the blend at `nowMs`. */
  dominant(nowMs: number): Viseme {
    return this.#blend(nowMs).viseme;
  }

  #blend(t: number): { shape: MouthShape; viseme: Viseme } {
    const rest = MOUTH_SHAPES.rest;
    if (!Number.isFinite(t)) return { shape: { ...rest }, viseme: "rest" };
    const weights = new Map<Viseme, number>();
    let covered = 0;
    const tl = this.#timeline;
    // First span that ends after the window opens.
    let lo = 0;
    let hi = tl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tl[mid] as TimedViseme).end_ms <= t - HALF) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < tl.length; i++) {
      const span = tl[i] as TimedViseme;
      if (span.start_ms >= t + HALF) break;
      const w = tentMass((span.start_ms - t) / HALF, (span.end_ms - t) / HALF);
      if (w <= 0) continue;
      covered += w;
      weights.set(span.viseme, (weights.get(span.viseme) ?? 0) + w);
    }
    const restWeight = Math.max(0, 1 - covered);
    if (restWeight > 0) weights.set("rest", (weights.get("rest") ?? 0) + restWeight);

    const shape: MouthShape = { jawOpen: 0, width: 0, roundness: 0, lipPress: 0 };
    let viseme: Viseme = "rest";
    let best = -1;
    for (const [v, w] of weights) {
      const s = MOUTH_SHAPES[v];
      shape.jawOpen += s.jawOpen * w;
      shape.width += s.width * w;
      shape.roundness += s.roundness * w;
      shape.lipPress += s.lipPress * w;
      if (w > best + 1e-9) {
        best = w;
        viseme = v;
      }
    }
    return { shape, viseme };
  }
}

/** Integral of the unit tent kernel (area 1, support −1…1) over [a, b]. */
function tentMass(a: number, b: number): number {
  return tentCdf(b) - tentCdf(a);
}

function tentCdf(u: number): number {
  if (u <= -1) return 0;
  if (u >= 1) return 1;
  return u < 0 ? ((1 + u) * (1 + u)) / 2 : 1 - ((1 - u) * (1 - u)) / 2;
}
