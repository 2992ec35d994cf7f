/**
 * The one error a VRM avatar file can raise: a stable `code` the UI can
 * translate, a plain English sentence saying what happened and what to do,
 * and the underlying error (if any) as `cause` for the technical details.
 *
 * Kept apart from the loader so that screens can recognise it without
 * pulling three.js into the main bundle.
 */

export const VRM_ERROR_CODES = ["empty", "too_large", "not_glb", "truncated", "not_vrm", "external_files", "unreadable"] as const;
export type VrmErrorCode = (typeof VRM_ERROR_CODES)[number];

/** Largest avatar file accepted; larger ones are refused before parsing. */
export const MAX_VRM_BYTES = 200 * 1024 * 1024;

const MESSAGES: Readonly<Record<VrmErrorCode, string>> = Object.freeze({
  empty: "The avatar file is empty; choose a .vrm file exported from VRoid Studio or another VRM editor.",
  too_large: "The avatar file is larger than 200 MB; export it again with smaller textures.",
  not_glb: "This file is not a VRM avatar; choose a .vrm file exported from VRoid Studio or another VRM editor.",
  truncated: "The avatar file is incomplete, probably cut off while copying; copy or download it again.",
  not_vrm: "This 3D model is not a VRM avatar; export it as VRM (for example with VRoid Studio or the VRM add-on for Blender).",
  external_files: "The avatar refers to files outside it; export it again as a single .vrm file.",
  unreadable: "The avatar file is damaged and could not be read; export it again from your VRM editor.",
});

export class VrmError extends Error {
  readonly code: VrmErrorCode;

  constructor(code: VrmErrorCode, options?: { cause?: unknown }) {
    super(MESSAGES[code], options);
    this.name = "VrmError";
    this.code = code;
  }
}

/** `error` as a VrmError; anything else counts as an unreadable file. */
export function toVrmError(error: unknown): VrmError {
  return error instanceof VrmError ? error : new VrmError("unreadable", { cause: error });
}
