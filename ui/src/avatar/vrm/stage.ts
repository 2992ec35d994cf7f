/**
 * The three.js side of a VRM avatar on screen: a renderer on the given
 * canvas, a lit scene with the avatar, and a camera framing its head and
 * shoulders the way the SVG face is framed.
 *
 * VrmAvatar imports this module dynamically, so three.js loads only for
 * users who chose a VRM avatar. Invariant: the renderer exists only once the
 * avatar has loaded, and `dispose` frees both (GPU buffers and textures).
 */
import type { VRM } from "@pixiv/three-vrm";
import { VRMUtils } from "@pixiv/three-vrm";
import { AmbientLight, DirectionalLight, PerspectiveCamera, Scene, Vector3, WebGLRenderer } from "three";
import type { AvatarFrame } from "../driver";
import type { Expression } from "../expression";
import { applyFrame } from "./drive";
import { loadVrm } from "./load";

export interface VrmStage {
  readonly vrm: VRM;
  /** Applies one frame to the avatar, advances it by `dtMs` and draws it. */
  draw(frame: AvatarFrame, expression: Expression, dtMs: number): void;
  dispose(): void;
}

/** Vertical field of view; narrow, like a portrait lens, so the face is not distorted. */
const FOV_DEG = 20;
const MAX_PIXEL_RATIO = 2;

/** Loads the avatar from `bytes` and sets up a renderer for it on `canvas` (with its WebGL 2 `context`). */
export async function createStage(canvas: HTMLCanvasElement, context: WebGL2RenderingContext, bytes: ArrayBuffer): Promise<VrmStage> {
  const vrm = await loadVrm(bytes);
  // Skinned meshes keep their bind-pose bounds, which moving bones can leave behind.
  vrm.scene.traverse((object) => {
    object.frustumCulled = false;
  });

  const renderer = new WebGLRenderer({ canvas, context: context as unknown as WebGLRenderingContext });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, MAX_PIXEL_RATIO));
  renderer.setClearColor(0x000000, 0);

  const scene = new Scene();
  scene.add(vrm.scene);
  scene.add(new AmbientLight(0xffffff, 0.8));
  const key = new DirectionalLight(0xffffff, Math.PI * 0.8);
  key.position.set(1, 1.5, 2);
  scene.add(key);

  const camera = new PerspectiveCamera(FOV_DEG, 1, 0.05, 50);
  frameHead(camera, vrm);
  if (vrm.lookAt) vrm.lookAt.target = camera;

  let width = 0;
  let height = 0;
  return {
    vrm,
    draw(frame, expression, dtMs) {
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if ((w !== width || h !== height) && w > 0 && h > 0) {
        width = w;
        height = h;
        renderer.setSize(w, h, false);
        camera.aspect = w / h;
        camera.updateProjectionMatrix();
      }
      applyFrame(vrm, frame, expression);
      vrm.update(Math.max(0, dtMs) / 1000);
      renderer.render(scene, camera);
    },
    dispose() {
      VRMUtils.deepDispose(vrm.scene);
      renderer.dispose();
    },
  };
}

/** Points the camera at the head and shoulders, sized from the avatar's own torso. */
function frameHead(camera: PerspectiveCamera, vrm: VRM): void {
  vrm.scene.updateMatrixWorld(true);
  const head = vrm.humanoid.getNormalizedBoneNode("head")?.getWorldPosition(new Vector3()) ?? new Vector3(0, 1.4, 0);
  const hips = vrm.humanoid.getNormalizedBoneNode("hips")?.getWorldPosition(new Vector3()) ?? new Vector3(0, 0.9, 0);
  // The head bone sits at the base of the skull: show from mid-chest to just above the crown.
  const torso = Math.max(0.2, head.y - hips.y);
  const visible = 0.9 * torso;
  const centre = new Vector3(head.x, head.y - 0.1 * torso, head.z);
  const distance = visible / 2 / Math.tan((FOV_DEG / 2) * (Math.PI / 180));
  camera.position.set(centre.x, centre.y, centre.z + distance);
  camera.lookAt(centre);
}
