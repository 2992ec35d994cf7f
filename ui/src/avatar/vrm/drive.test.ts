import type { VRM } from "@pixiv/three-vrm";
import type { Mesh } from "three";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { AvatarFrame } from "../driver";
import { AvatarDriver } from "../driver";
import type { Emotion, UserEmotion } from "../expression";
import { EASE_MS, EMOTIONS, ExpressionBlender, EXPRESSIONS } from "../expression";
import { IdleAnimator, seededRandom } from "../idle";
import { composePose } from "../pose";
import type { TimedViseme, Viseme } from "../visemes";
import { BLEND_MS, MOUTH_SHAPES, VisemeScheduler, VISEMES } from "../visemes";
import {
  applyFrame,
  blinkWeight,
  EMOTION_TO_VRM,
  emotionShares,
  headRotation,
  missingExpressions,
  visemeWeights,
  VRM_EMOTIONS,
  VRM_EXPRESSIONS,
  VRM_VISEMES,
  vrmWeights,
} from "./drive";
import { loadVrm } from "./load";
import { makeTestVrm, TEST_VRM_FACE_NODE } from "./testVrm";

/** A driver settled on `emotion`, its mouth following `timeline` with the clock at `atMs`. */
function driven(emotion: Emotion, timeline: unknown[] = [], atMs = 0, user: UserEmotion | null = null) {
  const driver = new AvatarDriver({ emotion, random: seededRandom(3), reducedMotion: true });
  driver.mirror(user);
  driver.expression.settle();
  const scheduler = new VisemeScheduler();
  scheduler.load(timeline);
  scheduler.start(() => atMs);
  driver.scheduler = scheduler;
  const frame = driver.step(16);
  return { frame, expression: driver.expression.current };
}

const settled = (emotion: Emotion, user: UserEmotion | null = null) => {
  const blender = new ExpressionBlender(emotion);
  blender.mirror(user);
  return blender.settle();
};

/** The scheduler's blend written out: each span's share of a tent of half-width BLEND_MS / 2 around `t`. */
function blendShares(timeline: TimedViseme[], t: number): Partial<Record<Viseme, number>> {
  const half = BLEND_MS / 2;
  const cdf = (u: number) => (u <= -1 ? 0 : u >= 1 ? 1 : u < 0 ? (1 + u) ** 2 / 2 : 1 - (1 - u) ** 2 / 2);
  const shares: Partial<Record<Viseme, number>> = {};
  for (const span of timeline) {
    const mass = cdf((span.end_ms - t) / half) - cdf((span.start_ms - t) / half);
    shares[span.viseme] = (shares[span.viseme] ?? 0) + mass;
  }
  return shares;
}

const shapeFrame = (viseme: Viseme): AvatarFrame => {
  const expression = settled("neutral");
  const idle = new IdleAnimator({ random: seededRandom(1), reducedMotion: true }).step(0);
  const shape = { ...MOUTH_SHAPES[viseme] };
  return { pose: composePose(idle, expression, shape), mouth: { viseme, shape, speaking: true } };
};

describe("visemeWeights", () => {
  it.each(VRM_VISEMES)("gives %s nearly all the weight at its own mouth shape", (viseme) => {
    const w = visemeWeights(MOUTH_SHAPES[viseme]);
    expect(w[viseme]).toBeGreaterThan(0.95);
    for (const other of VRM_VISEMES) if (other !== viseme) expect(w[other]).toBeLessThan(0.03);
  });

  it.each(["rest", "closed"] as const)("opens no VRM mouth shape at %s", (viseme) => {
    const w = visemeWeights(MOUTH_SHAPES[viseme]);
    for (const v of VRM_VISEMES) expect(w[v]).toBeLessThan(0.01);
  });

  it("splits the weight halfway through a change", () => {
    const a = MOUTH_SHAPES.aa;
    const b = MOUTH_SHAPES.ih;
    const mid = {
      jawOpen: (a.jawOpen + b.jawOpen) / 2,
      width: (a.width + b.width) / 2,
      roundness: (a.roundness + b.roundness) / 2,
      lipPress: (a.lipPress + b.lipPress) / 2,
    };
    const w = visemeWeights(mid);
    expect(w.aa).toBeCloseTo(w.ih, 1);
    expect(Math.abs(w.aa - w.ih)).toBeLessThan(0.01);
    expect(w.aa + w.ih).toBeGreaterThan(0.9);
  });

  it("recovers the scheduler's own blend through speech", () => {
    // Visemes no shorter than the blend, so at most two ever mix.
    const random = seededRandom(11);
    const timeline: TimedViseme[] = [];
    for (let t = 0; t < 6000; ) {
      const length = BLEND_MS + random() * 130;
      timeline.push({ viseme: VISEMES[Math.floor(random() * VISEMES.length)] as Viseme, start_ms: t, end_ms: t + length });
      t += length;
    }
    const scheduler = new VisemeScheduler();
    scheduler.load(timeline);
    let worst = 0;
    for (let t = 0; t <= 6000; t += 4) {
      const got = visemeWeights(scheduler.sample(t));
      const want = blendShares(scheduler.timeline, t);
      for (const v of VRM_VISEMES) worst = Math.max(worst, Math.abs(got[v] - (want[v] ?? 0)));
    }
    // Not exact: where two pairs' segments pass close by, both fits share the weight.
    expect(worst).toBeLessThan(0.05);
  });

  it("reaches the new viseme after a change", () => {
    const scheduler = new VisemeScheduler();
    scheduler.load([
      { viseme: "aa", start_ms: 0, end_ms: 200 },
      { viseme: "ou", start_ms: 200, end_ms: 400 },
    ]);
    expect(visemeWeights(scheduler.sample(170)).aa).toBeGreaterThan(0.95);
    const mid = visemeWeights(scheduler.sample(200));
    expect(mid.aa).toBeCloseTo(0.5, 1);
    expect(mid.ou).toBeCloseTo(0.5, 1);
    expect(visemeWeights(scheduler.sample(230)).ou).toBeGreaterThan(0.95);
  });

  it("stays finite and within 0…1 for any input", () => {
    for (const bad of [NaN, Infinity, -Infinity, -5, 40]) {
      const w = visemeWeights({ jawOpen: bad, width: bad, roundness: 0.5, lipPress: bad });
      for (const v of VRM_VISEMES) {
        expect(Number.isFinite(w[v])).toBe(true);
        expect(w[v]).toBeGreaterThanOrEqual(0);
        expect(w[v]).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe("emotionShares", () => {
  it.each(EMOTIONS)("recovers %s from its settled expression", (emotion) => {
    const shares = emotionShares(settled(emotion));
    for (const e of EMOTIONS) expect(shares[e]).toBeCloseTo(e === emotion ? 1 : 0, 9);
  });

  it("follows the blender while it eases", () => {
    const blender = new ExpressionBlender("neutral");
    blender.setTarget("happy");
    const shares = emotionShares(blender.step(EASE_MS));
    expect(shares.happy).toBeCloseTo(1 - Math.exp(-1), 9);
    expect(shares.neutral).toBeCloseTo(Math.exp(-1), 9);
  });

  it("adds the mirrored share of the user's emotion", () => {
    const shares = emotionShares(settled("neutral", "sad"));
    expect(shares.sad).toBeCloseTo(0.3, 9);
    expect(shares.neutral).toBeCloseTo(0.7, 9);
  });
});

describe("vrmWeights", () => {
  it("opens aa, and only aa, while the timeline says aa", () => {
    const { frame, expression } = driven("neutral", [{ viseme: "aa", start_ms: 0, end_ms: 400 }], 200);
    expect(frame.mouth.viseme).toBe("aa");
    const w = vrmWeights(frame, expression);
    expect(w.aa).toBeGreaterThan(0.95);
    for (const v of ["ih", "ou", "ee", "oh"] as const) expect(w[v]).toBeLessThan(0.03);
    expect(w.blink).toBe(0);
  });

  it("keeps the mouth shapes shut at rest", () => {
    const { frame, expression } = driven("neutral");
    const w = vrmWeights(frame, expression);
    for (const v of VRM_VISEMES) expect(w[v]).toBeLessThan(0.01);
  });

  it.each([
    ["neutral", { relaxed: 0.2 }],
    ["happy", { happy: 0.7 }],
    ["concerned", { sad: 0.35, surprised: 0.15 }],
    ["surprised", { surprised: 0.8 }],
    ["sad", { sad: 0.7 }],
  ] as const)("shows %s as its VRM emotions", (emotion, expected) => {
    const { frame, expression } = driven(emotion);
    const w = vrmWeights(frame, expression);
    for (const name of VRM_EMOTIONS) expect(w[name]).toBeCloseTo((expected as Record<string, number>)[name] ?? 0, 9);
  });

  it("never shows anger, even at an angry user", () => {
    for (const emotion of EMOTIONS) {
      for (const user of ["angry", "anxious", null] as const) {
        const { frame, expression } = driven(emotion, [], 0, user);
        expect(vrmWeights(frame, expression).angry).toBe(0);
      }
    }
    expect(Object.values(EMOTION_TO_VRM).some((m) => "angry" in m)).toBe(false);
  });

  it("gives every weight within 0…1 when the mirror pushes past full strength", () => {
    const { frame, expression } = driven("happy", [], 0, "happy");
    const w = vrmWeights(frame, expression);
    for (const name of VRM_EXPRESSIONS) {
      expect(w[name]).toBeGreaterThanOrEqual(0);
      expect(w[name]).toBeLessThanOrEqual(1);
    }
    expect(w.happy).toBeGreaterThan(0.7);
  });
});

describe("blinkWeight", () => {
  it.each([
    ["neutral", false],
    ["surprised", true],
    ["sad", true],
  ] as const)("recovers the idle blink for %s (listening: %s)", (emotion, listening) => {
    const idle = new IdleAnimator({ random: seededRandom(7) });
    idle.listening = listening;
    const expression = settled(emotion);
    let closed = 0;
    for (let t = 0; t < 12_000; t += 10) {
      const pose = idle.step(10);
      const frame = composePose(pose, expression, MOUTH_SHAPES.rest);
      expect(blinkWeight(frame, expression)).toBeCloseTo(pose.blink, 9);
      if (pose.blink > 0.99) closed++;
    }
    expect(closed).toBeGreaterThan(0);
  });
});

describe("headRotation", () => {
  it("is still for a still pose and small for the largest one", () => {
    const base = shapeFrame("rest").pose;
    const still = headRotation({ ...base, headDeg: 0, headX: 0, headY: 0 });
    for (const angle of [still.pitch, still.yaw, still.roll]) expect(angle).toBeCloseTo(0, 12);
    const most = headRotation({ ...base, headDeg: 8, headX: 3, headY: 2 });
    for (const angle of [most.pitch, most.yaw, most.roll]) expect(Math.abs(angle)).toBeLessThan((10 * Math.PI) / 180);
  });

  it("leans towards the avatar's left shoulder (+X) as the SVG face does", () => {
    const base = shapeFrame("rest").pose;
    expect(headRotation({ ...base, headDeg: 5 }).roll).toBeLessThan(0);
    expect(headRotation({ ...base, headDeg: Number.NaN }).roll === 0).toBe(true);
  });
});

describe("applyFrame", () => {
  let vrm: VRM;
  let face: Mesh;
  const influence = (name: string) => {
    const index = face.morphTargetDictionary?.[name];
    return index === undefined ? Number.NaN : (face.morphTargetInfluences?.[index] ?? Number.NaN);
  };

  beforeAll(async () => {
    vrm = await loadVrm(makeTestVrm());
    let found: Mesh | null = null;
    vrm.scene.traverse((o) => {
      if ((o as Mesh).isMesh && o.name === TEST_VRM_FACE_NODE) found = o as Mesh;
    });
    if (!found) throw new Error("the test avatar has no face mesh");
    face = found;
  });

  it("moves the mesh's morph targets through the VRM expressions", () => {
    const { frame, expression } = driven("happy", [{ viseme: "aa", start_ms: 0, end_ms: 400 }], 200);
    applyFrame(vrm, frame, expression);
    vrm.update(0.016);
    expect(vrm.expressionManager?.getValue("aa")).toBeGreaterThan(0.95);
    expect(influence("aa")).toBeGreaterThan(0.95);
    expect(influence("happy")).toBeCloseTo(0.7, 6);
    expect(influence("ou")).toBeLessThan(0.03);
    expect(influence("angry")).toBe(0);
  });

  it("closes the eyes during a blink", () => {
    const frame = shapeFrame("rest");
    const expression = settled("neutral");
    applyFrame(vrm, { ...frame, pose: { ...frame.pose, eyeOpen: 0 } }, expression);
    vrm.update(0.016);
    expect(influence("blink")).toBe(1);
  });

  it("turns the head bone with the pose", () => {
    const frame = shapeFrame("rest");
    applyFrame(vrm, { ...frame, pose: { ...frame.pose, headDeg: 6, headX: 2, headY: 1 } }, settled("neutral"));
    vrm.update(0.016);
    const head = vrm.humanoid.getNormalizedBoneNode("head");
    expect(head?.rotation.z).toBeCloseTo((-6 * Math.PI) / 180, 9);
    expect(head?.rotation.y).toBeGreaterThan(0);
    expect(head?.rotation.x).toBeGreaterThan(0);
    // vrm.update carries the normalised pose to the model's own bone.
    expect(vrm.humanoid.getRawBoneNode("head")?.quaternion.angleTo(head!.quaternion)).toBeCloseTo(0, 6);
  });

  it("turns a VRM 0.x head the other way round its tilted axes", () => {
    const frame = shapeFrame("rest");
    const pose = { ...frame.pose, headDeg: 6, headX: 2, headY: 1 };
    const meta = vrm.meta as { metaVersion: string };
    meta.metaVersion = "0";
    try {
      applyFrame(vrm, { ...frame, pose }, settled("neutral"));
    } finally {
      meta.metaVersion = "1";
    }
    const head = vrm.humanoid.getNormalizedBoneNode("head");
    const r = headRotation(pose);
    expect([head?.rotation.x, head?.rotation.y, head?.rotation.z]).toEqual([-r.pitch, r.yaw, -r.roll]);
  });

  it("skips, silently, the expressions the avatar lacks", async () => {
    const partial = await loadVrm(makeTestVrm({ expressions: ["aa"] }));
    expect(missingExpressions(partial)).toHaveLength(VRM_EXPRESSIONS.length - 1);
    const warn = vi.spyOn(console, "warn");
    const { frame, expression } = driven("surprised", [{ viseme: "aa", start_ms: 0, end_ms: 400 }], 200);
    expect(() => applyFrame(partial, frame, expression)).not.toThrow();
    partial.update(0.016);
    expect(partial.expressionManager?.getValue("aa")).toBeGreaterThan(0.95);
    expect(partial.expressionManager?.getValue("surprised")).toBeNull();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it("keeps the neutral expression table in step with the SVG face's", () => {
    // The emotion fit assumes neutral is the origin of every expression offset.
    expect(emotionShares({ ...EXPRESSIONS.neutral }).neutral).toBeCloseTo(1, 9);
  });
});
