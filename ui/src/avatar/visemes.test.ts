import { describe, expect, it } from "vitest";
import type { MouthShape, TimedViseme } from "./visemes";
import { BLEND_MS, MAX_VISEMES, MOUTH_SHAPES, sanitizeTimeline, VisemeScheduler } from "./visemes";

const KEYS = ["jawOpen", "width", "roundness", "lipPress"] as const;

function expectShape(actual: MouthShape, expected: MouthShape, digits = 6) {
  for (const key of KEYS) expect(actual[key], key).toBeCloseTo(expected[key], digits);
}

function scheduler(timeline: unknown): VisemeScheduler {
  const s = new VisemeScheduler();
  s.load(timeline);
  return s;
}

const SPEECH: TimedViseme[] = [
  { viseme: "rest", start_ms: 0, end_ms: 100 },
  { viseme: "aa", start_ms: 100, end_ms: 300 },
  { viseme: "closed", start_ms: 300, end_ms: 330 },
  { viseme: "ou", start_ms: 330, end_ms: 500 },
  // A pause (gap) before the last sound.
  { viseme: "ee", start_ms: 700, end_ms: 900 },
];

describe("VisemeScheduler.sample", () => {
  it("gives the viseme's own shape well inside it", () => {
    const s = scheduler(SPEECH);
    expectShape(s.sample(200), MOUTH_SHAPES.aa);
    expectShape(s.sample(420), MOUTH_SHAPES.ou);
    expect(s.dominant(200)).toBe("aa");
    expect(s.dominant(420)).toBe("ou");
  });

  it("rests in gaps, before the start and after the end", () => {
    const s = scheduler(SPEECH);
    expectShape(s.sample(600), MOUTH_SHAPES.rest);
    expectShape(s.sample(-50), MOUTH_SHAPES.rest);
    expectShape(s.sample(950), MOUTH_SHAPES.rest);
    expectShape(s.sample(60_000), MOUTH_SHAPES.rest);
    expect(s.dominant(600)).toBe("rest");
    expect(s.dominant(5000)).toBe("rest");
  });

  it("blends neighbours half and half at a boundary, and only within the blend window", () => {
    const s = scheduler(SPEECH);
    const mid = s.sample(700);
    for (const key of KEYS) expect(mid[key]).toBeCloseTo((MOUTH_SHAPES.rest[key] + MOUTH_SHAPES.ee[key]) / 2, 6);
    expectShape(s.sample(700 - BLEND_MS / 2), MOUTH_SHAPES.rest);
    expectShape(s.sample(700 + BLEND_MS / 2), MOUTH_SHAPES.ee);
    const early = s.sample(690).jawOpen;
    expect(early).toBeGreaterThan(MOUTH_SHAPES.rest.jawOpen);
    expect(early).toBeLessThan(mid.jawOpen);
  });

  it("reaches a short viseme only partly (coarticulation)", () => {
    const s = scheduler(SPEECH);
    // "closed" lasts 30 ms between two open vowels: the lips press, but not fully.
    const press = s.sample(315).lipPress;
    expect(press).toBeGreaterThan(0.5);
    expect(press).toBeLessThan(1);
    expect(s.dominant(315)).toBe("closed");
  });

  it("is continuous: no jumps between neighbouring milliseconds", () => {
    const s = scheduler(SPEECH);
    let prev = s.sample(-100);
    let maxStep = 0;
    for (let t = -99; t <= 1000; t += 0.5) {
      const cur = s.sample(t);
      for (const key of KEYS) maxStep = Math.max(maxStep, Math.abs(cur[key] - prev[key]));
      prev = cur;
    }
    // The blend's steepest slope is 2 / BLEND_MS per ms and shapes differ by at most 1;
    // a hard switch between visemes would jump by up to 0.85 here.
    expect(maxStep).toBeLessThanOrEqual(0.5 * (2 / BLEND_MS) + 1e-9);
    expect(maxStep).toBeGreaterThan(0);
  });

  it("keeps every field within 0…1", () => {
    const s = scheduler(SPEECH);
    for (let t = -50; t < 1000; t += 7) {
      const shape = s.sample(t);
      for (const key of KEYS) {
        expect(shape[key]).toBeGreaterThanOrEqual(-1e-9);
        expect(shape[key]).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
  });

  it("rests everywhere with an empty timeline, and for non-finite times", () => {
    const s = scheduler([]);
    expectShape(s.sample(0), MOUTH_SHAPES.rest);
    expectShape(s.sample(1234), MOUTH_SHAPES.rest);
    const t = scheduler(SPEECH);
    expectShape(t.sample(Number.NaN), MOUTH_SHAPES.rest);
    expectShape(t.sample(Number.POSITIVE_INFINITY), MOUTH_SHAPES.rest);
  });
});

describe("sanitizeTimeline", () => {
  it("sorts, trims overlaps and drops what cannot be timed", () => {
    const hostile: unknown[] = [
      { viseme: "oh", start_ms: 400, end_ms: 600 },
      { viseme: "aa", start_ms: 0, end_ms: 250 },
      { viseme: "ih", start_ms: 200, end_ms: 300 }, // starts inside aa, so cuts it short
      { viseme: "ee", start_ms: Number.NaN, end_ms: 100 },
      { viseme: "ee", start_ms: 0, end_ms: Number.POSITIVE_INFINITY },
      { viseme: "ou", start_ms: -50, end_ms: -10 }, // entirely before 0
      { viseme: "closed", start_ms: -30, end_ms: 20 }, // clamped to 0…20; listed after aa, so it wins the tie
      { viseme: "shout", start_ms: 700, end_ms: 800 },
      { viseme: "rest", start_ms: "700", end_ms: 800 },
      { viseme: "rest", start_ms: 900, end_ms: 850 }, // reversed
      { viseme: "rest", start_ms: 1000, end_ms: 1000 }, // empty
      null,
      "aa",
      42,
      [],
      { viseme: "__proto__", start_ms: 0, end_ms: 1 },
    ];
    const clean = sanitizeTimeline(hostile);
    expect(clean).toEqual([
      { viseme: "closed", start_ms: 0, end_ms: 20 },
      { viseme: "aa", start_ms: 20, end_ms: 200 },
      { viseme: "ih", start_ms: 200, end_ms: 300 },
      { viseme: "oh", start_ms: 400, end_ms: 600 },
    ]);
    for (let i = 1; i < clean.length; i++) {
      expect(clean[i]!.start_ms).toBeGreaterThanOrEqual(clean[i - 1]!.end_ms);
    }
  });

  it("merges touching equal visemes; a span that ends inside an earlier one lets it resume", () => {
    expect(
      sanitizeTimeline([
        { viseme: "aa", start_ms: 0, end_ms: 100 },
        { viseme: "aa", start_ms: 100, end_ms: 200 },
        { viseme: "ou", start_ms: 200, end_ms: 300 },
        { viseme: "ee", start_ms: 200, end_ms: 250 },
      ]),
    ).toEqual([
      { viseme: "aa", start_ms: 0, end_ms: 200 },
      { viseme: "ee", start_ms: 200, end_ms: 250 },
      { viseme: "ou", start_ms: 250, end_ms: 300 },
    ]);
  });

  it("accepts nothing that is not an array, and caps huge timelines", () => {
    for (const bad of [null, undefined, 5, "[]", { length: 3 }, { 0: { viseme: "aa", start_ms: 0, end_ms: 1 } }]) {
      expect(sanitizeTimeline(bad)).toEqual([]);
    }
    const huge = Array.from({ length: MAX_VISEMES + 500 }, (_, i) => ({
      viseme: i % 2 ? "aa" : "ou",
      start_ms: i * 10,
      end_ms: i * 10 + 10,
    }));
    expect(sanitizeTimeline(huge)).toHaveLength(MAX_VISEMES);
  });

  it("does not keep references to the caller's objects", () => {
    const input = [{ viseme: "aa" as const, start_ms: 0, end_ms: 100 }];
    const s = scheduler(input);
    input[0]!.viseme = "ou" as "aa";
    expect(s.dominant(50)).toBe("aa");
    s.timeline[0]!.end_ms = 1;
    expect(s.durationMs).toBe(100);
  });
});

describe("VisemeScheduler clock", () => {
  it("follows the injected audio clock, not wall time", () => {
    const s = scheduler(SPEECH);
    let audioMs = 200;
    s.start(() => audioMs);
    expect(s.running).toBe(true);
    expect(s.read()).toMatchObject({ viseme: "aa", speaking: true });
    expectShape(s.read().shape, MOUTH_SHAPES.aa);
    audioMs = 420;
    expect(s.read().viseme).toBe("ou");
    // Paused audio: the clock stands still, and so does the mouth.
    expect(s.read().viseme).toBe("ou");
    audioMs = 950;
    expect(s.read()).toMatchObject({ viseme: "rest", speaking: false });
  });

  it("rests when stopped or when the clock misbehaves", () => {
    const s = scheduler(SPEECH);
    expect(s.read()).toMatchObject({ viseme: "rest", speaking: false });
    s.start(() => 200);
    s.stop();
    expect(s.running).toBe(false);
    expect(s.read()).toMatchObject({ viseme: "rest", speaking: false });
    s.start(() => Number.NaN);
    expect(s.read().viseme).toBe("rest");
    s.start(() => {
      throw new Error("audio element gone");
    });
    expect(s.read()).toMatchObject({ viseme: "rest", speaking: false });
    expect(s.now()).toBeNull();
  });

  it("can load a new timeline while running", () => {
    const s = scheduler(SPEECH);
    s.start(() => 50);
    s.load([{ viseme: "oh", start_ms: 0, end_ms: 100 }]);
    expect(s.read().viseme).toBe("oh");
    expect(s.durationMs).toBe(100);
  });
});
