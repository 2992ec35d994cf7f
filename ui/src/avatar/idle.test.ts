import { describe, expect, it } from "vitest";
import { BLINK_MAX_MS, BLINK_MIN_MS, BLINK_MS, IdleAnimator, LISTEN_EYE_WIDEN, LISTEN_TILT_DEG, seededRandom } from "./idle";

const FRAME = 1000 / 60;

/** Start times (ms) of the blinks in `durationMs` of 60 fps frames. */
function blinkStarts(idle: IdleAnimator, durationMs: number): number[] {
  const starts: number[] = [];
  let wasClosed = false;
  for (let t = 0; t < durationMs; t += FRAME) {
    const { blink } = idle.step(FRAME);
    const closing = blink > 0;
    if (closing && !wasClosed) starts.push(t);
    wasClosed = closing;
  }
  return starts;
}

describe("seededRandom", () => {
  it("repeats for a seed and stays in 0…1", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(seededRandom(43)()).not.toBe(seededRandom(42)());
  });
});

describe("IdleAnimator", () => {
  it("blinks at random intervals of 2–6 s, briefly", () => {
    const starts = blinkStarts(new IdleAnimator({ random: seededRandom(7) }), 120_000);
    expect(starts.length).toBeGreaterThan(120 / 6);
    expect(starts.length).toBeLessThan(120 / 2 + 1);
    const gaps = starts.slice(1).map((s, i) => s - (starts[i] as number));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(BLINK_MIN_MS + BLINK_MS - 2 * FRAME);
      expect(gap).toBeLessThanOrEqual(BLINK_MAX_MS + BLINK_MS + 2 * FRAME);
    }
    // Random, not metronomic.
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeGreaterThan(1000);
  });

  it("closes the lids fully during a blink", () => {
    const idle = new IdleAnimator({ random: () => 0 });
    idle.step(BLINK_MIN_MS);
    let most = 0;
    for (let t = 0; t < BLINK_MS + 50; t += 5) most = Math.max(most, idle.step(5).blink);
    expect(most).toBe(1);
    expect(idle.step(5).blink).toBe(0);
  });

  it("is deterministic for a seed", () => {
    const a = new IdleAnimator({ random: seededRandom(1) });
    const b = new IdleAnimator({ random: seededRandom(1) });
    for (let i = 0; i < 500; i++) expect(a.step(FRAME)).toEqual(b.step(FRAME));
  });

  it("breathes and sways gently, within bounds", () => {
    const idle = new IdleAnimator({ random: seededRandom(3) });
    let breathMin = 0;
    let breathMax = 0;
    let sway = 0;
    for (let t = 0; t < 20_000; t += FRAME) {
      const p = idle.step(FRAME);
      breathMin = Math.min(breathMin, p.breath);
      breathMax = Math.max(breathMax, p.breath);
      sway = Math.max(sway, Math.abs(p.swayDeg));
      expect(Math.abs(p.swayX)).toBeLessThanOrEqual(1);
    }
    expect(breathMax).toBeGreaterThan(0.9);
    expect(breathMin).toBeLessThan(-0.9);
    expect(sway).toBeGreaterThan(0.2);
    expect(sway).toBeLessThanOrEqual(1.2);
  });

  it("tilts the head and widens the eyes while listening, and eases back", () => {
    const idle = new IdleAnimator({ random: seededRandom(3) });
    expect(idle.step(FRAME)).toMatchObject({ listenTilt: 0, eyeWiden: 0 });
    idle.listening = true;
    const first = idle.step(FRAME);
    expect(first.listenTilt).toBeGreaterThan(0);
    expect(first.listenTilt).toBeLessThan(LISTEN_TILT_DEG / 2);
    const later = idle.step(2000);
    expect(later.listenTilt).toBeCloseTo(LISTEN_TILT_DEG, 3);
    expect(later.eyeWiden).toBeCloseTo(LISTEN_EYE_WIDEN, 3);
    idle.listening = false;
    expect(idle.step(2000).listenTilt).toBeCloseTo(0, 3);
  });

  it("keeps still under reduced motion, but still blinks", () => {
    const idle = new IdleAnimator({ random: seededRandom(5), reducedMotion: true });
    let blinked = false;
    for (let t = 0; t < 10_000; t += FRAME) {
      const p = idle.step(FRAME);
      expect(p.breath).toBe(0);
      expect(p.swayDeg).toBe(0);
      expect(p.swayX).toBe(0);
      blinked ||= p.blink > 0;
    }
    expect(blinked).toBe(true);
  });

  it("ignores bad time steps and bad randomness", () => {
    const idle = new IdleAnimator({ random: () => Number.NaN });
    expect(idle.msUntilBlink).toBe((BLINK_MIN_MS + BLINK_MAX_MS) / 2);
    const pose = idle.step(Number.NaN);
    idle.step(-100);
    for (const v of Object.values(pose)) expect(Number.isFinite(v)).toBe(true);
    expect(idle.msUntilBlink).toBe((BLINK_MIN_MS + BLINK_MAX_MS) / 2);
  });
});
