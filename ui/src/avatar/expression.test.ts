import { describe, expect, it } from "vitest";
import type { Expression } from "./expression";
import { EASE_MS, ExpressionBlender, EXPRESSIONS, expressionFor, MIRROR_STRENGTH } from "./expression";

const KEYS = ["browRaise", "browFurrow", "smile", "eyeOpen", "headTilt"] as const;

function distance(a: Expression, b: Expression): number {
  return Math.max(...KEYS.map((k) => Math.abs(a[k] - b[k])));
}

describe("ExpressionBlender", () => {
  it("starts at its initial emotion and converges on a new one", () => {
    const b = new ExpressionBlender("neutral");
    expect(b.current).toEqual(EXPRESSIONS.neutral);
    b.setTarget("happy");
    const start = distance(b.current, EXPRESSIONS.happy);
    for (let i = 0; i < 120; i++) b.step(1000 / 60);
    expect(distance(b.current, EXPRESSIONS.happy)).toBeLessThan(1e-6);
    expect(start).toBeGreaterThan(0.5);
  });

  it("gets about 95 % of the way in 300–400 ms, not instantly", () => {
    const b = new ExpressionBlender("neutral");
    b.setTarget("surprised");
    const total = distance(EXPRESSIONS.neutral, EXPRESSIONS.surprised);
    b.step(50);
    expect(distance(b.current, EXPRESSIONS.surprised) / total).toBeGreaterThan(0.5);
    b.step(250);
    expect(distance(b.current, EXPRESSIONS.surprised) / total).toBeGreaterThan(0.04);
    b.step(100);
    expect(distance(b.current, EXPRESSIONS.surprised) / total).toBeLessThan(0.05);
    expect(EASE_MS * 3).toBeGreaterThanOrEqual(300);
    expect(EASE_MS * 3).toBeLessThanOrEqual(400);
  });

  it("is frame-rate independent: 60 steps of 1/60 s equal 6 steps of 1/6 s", () => {
    const fast = new ExpressionBlender("neutral");
    const slow = new ExpressionBlender("neutral");
    const uneven = new ExpressionBlender("neutral");
    for (const b of [fast, slow, uneven]) b.setTarget("concerned");
    for (let i = 0; i < 60; i++) fast.step(1000 / 60);
    for (let i = 0; i < 6; i++) slow.step(1000 / 6);
    for (const dt of [5, 95, 300, 100, 250, 250]) uneven.step(dt);
    expect(distance(fast.current, slow.current)).toBeLessThan(1e-9);
    expect(distance(fast.current, uneven.current)).toBeLessThan(1e-9);
    // And after a shorter time, mid-way through the ease, too.
    const a = new ExpressionBlender("happy");
    const c = new ExpressionBlender("happy");
    a.setTarget("sad");
    c.setTarget("sad");
    for (let i = 0; i < 12; i++) a.step(1000 / 60);
    for (let i = 0; i < 2; i++) c.step(100);
    expect(distance(a.current, c.current)).toBeLessThan(1e-9);
  });

  it("mirrors a softer copy of the user's emotion", () => {
    const b = new ExpressionBlender("neutral");
    b.mirror("happy");
    const t = b.target;
    const n = EXPRESSIONS.neutral;
    const h = EXPRESSIONS.happy;
    for (const k of KEYS) expect(t[k]).toBeCloseTo(n[k] + (h[k] - n[k]) * MIRROR_STRENGTH, 9);
    expect(MIRROR_STRENGTH).toBeGreaterThan(0);
    expect(MIRROR_STRENGTH).toBeLessThan(0.5);
    b.mirror(null);
    expect(b.target).toEqual(EXPRESSIONS.neutral);
  });

  it("meets anger and anxiety with concern, never mirrors them", () => {
    const angry = new ExpressionBlender("neutral");
    angry.mirror("angry");
    const concerned = new ExpressionBlender("neutral");
    concerned.mirror("concerned");
    expect(angry.target).toEqual(concerned.target);
    const anxious = new ExpressionBlender("neutral");
    anxious.mirror("anxious");
    expect(anxious.target).toEqual(concerned.target);
  });

  it("keeps mirrored targets within range", () => {
    const b = new ExpressionBlender("happy", { mirrorStrength: 1 });
    b.mirror("happy");
    expect(b.target.smile).toBeLessThanOrEqual(1);
    b.setTarget("sad");
    b.mirror("sad");
    expect(b.target.smile).toBeGreaterThanOrEqual(-1);
    expect(b.target.browFurrow).toBeLessThanOrEqual(1);
  });

  it("treats unknown emotions as neutral and ignores bad time steps", () => {
    const b = new ExpressionBlender("sad");
    b.setTarget("furious" as "sad");
    expect(b.target).toEqual(EXPRESSIONS.neutral);
    b.mirror("toString" as "happy");
    expect(b.target).toEqual(EXPRESSIONS.neutral);
    const before = b.current;
    b.step(Number.NaN);
    b.step(-500);
    expect(b.current).toEqual(before);
    b.step(Number.POSITIVE_INFINITY);
    expect(distance(b.current, EXPRESSIONS.neutral)).toBeLessThan(1e-12);
    expect(expressionFor("__proto__")).toEqual(EXPRESSIONS.neutral);
  });

  it("hands out copies, so callers cannot change its state", () => {
    const b = new ExpressionBlender("neutral");
    b.current.smile = 5;
    b.target.smile = 5;
    expect(b.current.smile).toBe(EXPRESSIONS.neutral.smile);
    expect(b.settle()).toEqual(EXPRESSIONS.neutral);
  });
});
