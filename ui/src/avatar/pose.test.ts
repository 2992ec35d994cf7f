import { describe, expect, it } from "vitest";
import { EXPRESSIONS } from "./expression";
import { browPath, eyePath, faceLayout, headPath, mouthPaths } from "./geometry";
import type { IdlePose } from "./idle";
import { composePose } from "./pose";
import { MOUTH_SHAPES } from "./visemes";

const STILL: IdlePose = { blink: 0, breath: 0, swayDeg: 0, swayX: 0, listenTilt: 0, eyeWiden: 0 };

describe("composePose", () => {
  it("shuts the eyes on a blink and bounds everything", () => {
    expect(composePose({ ...STILL, blink: 1 }, EXPRESSIONS.surprised, MOUTH_SHAPES.rest).eyeOpen).toBe(0);
    const wild = composePose(
      { blink: -3, breath: 40, swayDeg: 90, swayX: 50, listenTilt: 90, eyeWiden: 9 },
      { browRaise: 9, browFurrow: 9, smile: 9, eyeOpen: 9, headTilt: 90 },
      MOUTH_SHAPES.aa,
    );
    expect(wild.headDeg).toBe(8);
    expect(wild.eyeOpen).toBe(1.5);
    expect(wild.smile).toBe(1);
    expect(Math.abs(wild.headX)).toBeLessThanOrEqual(3);
    const nan = composePose({ ...STILL, swayDeg: Number.NaN }, EXPRESSIONS.neutral, MOUTH_SHAPES.rest);
    expect(nan.headDeg).toBe(0);
  });
});

describe("geometry", () => {
  it("never writes NaN into a path", () => {
    for (const shape of ["oval", "round", "square"] as const) {
      const l = faceLayout(shape);
      const m = mouthPaths(l, { jawOpen: Number.NaN, width: 2, roundness: -1, lipPress: 0 }, Number.NaN);
      const paths = [
        headPath(shape, l),
        eyePath(84, 90, Number.NaN),
        eyePath(84, 90, -1),
        browPath(l, -1, Number.NaN, 1),
        m.outline,
        m.teeth,
        String(m.teethOpacity),
        String(m.lipWidth),
      ];
      for (const p of paths) expect(String(p)).not.toMatch(/NaN|Infinity/);
    }
  });

  it("opens the mouth with the jaw", () => {
    const l = faceLayout("oval");
    const height = (d: string) => {
      const ys = d.match(/-?\d+(\.\d+)?/g)!.map(Number).filter((_, i) => i % 2 === 1);
      return Math.max(...ys) - Math.min(...ys);
    };
    expect(height(mouthPaths(l, MOUTH_SHAPES.aa, 0).outline)).toBeGreaterThan(height(mouthPaths(l, MOUTH_SHAPES.ih, 0).outline));
    expect(height(mouthPaths(l, MOUTH_SHAPES.closed, 0).outline)).toBeLessThan(0.5);
  });
});
