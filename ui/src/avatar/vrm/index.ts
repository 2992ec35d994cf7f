/**
 * The VRM avatar's light public API: the component, its errors and texts,
 * and the quick file check. Nothing here imports three.js; the loader
 * (`./load`) and the frame mapping (`./drive`) do, so import them directly,
 * and dynamically, where they are needed.
 */
export type { VrmAvatarProps, VrmStatus } from "./VrmAvatar";
export { VrmAvatar } from "./VrmAvatar";
export type { VrmErrorCode } from "./errors";
export { MAX_VRM_BYTES, toVrmError, VRM_ERROR_CODES, VrmError } from "./errors";
export type { VrmSummary } from "./glb";
export { inspectVrm } from "./glb";
export type { VrmMessageKey } from "./strings";
export { vrmErrorText, vrmMessages, vt } from "./strings";
