import type * as Three from "three";
import type { Camera, Object3D } from "three";
import { Vector3 } from "three";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AvatarDriver } from "../driver";
import { seededRandom } from "../idle";
import { createStage } from "./stage";
import { makeTestVrm } from "./testVrm";

// WebGL is not available here: a stand-in renderer records what the stage asks of it.
const renderer = vi.hoisted(() => ({
  setPixelRatio: vi.fn(),
  setClearColor: vi.fn(),
  setSize: vi.fn(),
  render: vi.fn(),
  dispose: vi.fn(),
}));
vi.mock("three", async (importOriginal) => ({
  ...(await importOriginal<typeof Three>()),
  WebGLRenderer: vi.fn(() => renderer),
}));

function canvasOfSize(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  Object.defineProperty(canvas, "clientWidth", { value: width });
  Object.defineProperty(canvas, "clientHeight", { value: height });
  return canvas;
}

describe("createStage", () => {
  afterEach(() => {
    vi.clearAllMocks();
  });

  it("frames the avatar's head, sizes to the canvas and draws driven frames", async () => {
    const stage = await createStage(canvasOfSize(200, 220), {} as WebGL2RenderingContext, makeTestVrm());
    const driver = new AvatarDriver({ random: seededRandom(2) });
    stage.draw(driver.step(16), driver.expression.current, 16);

    expect(renderer.setSize).toHaveBeenCalledWith(200, 220, false);
    expect(renderer.render).toHaveBeenCalledTimes(1);
    const [scene, camera] = renderer.render.mock.calls[0] as [Object3D, Camera & { aspect: number }];
    expect(camera.aspect).toBeCloseTo(200 / 220, 9);
    expect(scene.children).toContain(stage.vrm.scene);

    // The head is in the middle of the picture, seen from the front.
    const head = stage.vrm.humanoid.getNormalizedBoneNode("head")!.getWorldPosition(new Vector3());
    const seen = head.clone().project(camera);
    expect(Math.abs(seen.x)).toBeLessThan(0.05);
    expect(seen.y).toBeGreaterThan(0);
    expect(seen.y).toBeLessThan(0.5);
    expect(camera.position.z).toBeGreaterThan(head.z);

    // An unchanged canvas is not resized again.
    stage.draw(driver.step(16), driver.expression.current, 16);
    expect(renderer.setSize).toHaveBeenCalledTimes(1);
  });

  it("frees the renderer and the avatar", async () => {
    const stage = await createStage(canvasOfSize(100, 100), {} as WebGL2RenderingContext, makeTestVrm());
    stage.dispose();
    expect(renderer.dispose).toHaveBeenCalledTimes(1);
  });

  it("creates no renderer for a bad file", async () => {
    const { WebGLRenderer } = await import("three");
    await expect(createStage(canvasOfSize(100, 100), {} as WebGL2RenderingContext, new ArrayBuffer(0))).rejects.toMatchObject({
      code: "empty",
    });
    expect(WebGLRenderer).not.toHaveBeenCalled();
  });
});
