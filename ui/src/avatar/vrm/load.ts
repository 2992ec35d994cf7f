/**
 * Loads a user's `.vrm` avatar (VRM 0.x or 1.0) from its bytes with three.js
 * and @pixiv/three-vrm.
 *
 * Invariants: every failure is a `VrmError` with a plain one-sentence
 * message; the file is checked (`inspectVrm`) before three.js parses it, so a
 * file over `MAX_VRM_BYTES` is never parsed. The loaded avatar faces +Z
 * whatever its VRM version. No WebGL is needed here (only the renderer
 * needs it), so tests can load avatars under happy-dom.
 */
import type { VRM } from "@pixiv/three-vrm";
import { VRMLoaderPlugin, VRMUtils } from "@pixiv/three-vrm";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { toVrmError, VrmError } from "./errors";
import { inspectVrm } from "./glb";

export { MAX_VRM_BYTES, VrmError } from "./errors";
export type { VrmErrorCode } from "./errors";

/** Parses the bytes of a `.vrm` file into an avatar ready to add to a scene. */
export async function loadVrm(bytes: ArrayBuffer): Promise<VRM> {
  inspectVrm(bytes);
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  let vrm: unknown;
  try {
    // No base path: `inspectVrm` made sure the file names nothing outside it.
    const gltf = await loader.parseAsync(bytes, "");
    vrm = (gltf.userData as { vrm?: VRM }).vrm;
  } catch (cause) {
    throw toVrmError(cause);
  }
  // The extension was there but named no usable avatar (no humanoid or metadata).
  if (!vrm) throw new VrmError("not_vrm");
  const avatar = vrm as VRM;
  VRMUtils.rotateVRM0(avatar);
  return avatar;
}
