/**
 * A quick check of a `.vrm` file's container before the real parse: size,
 * the GLB header and chunks, the VRM extension in its JSON, and that it
 * names no outside files.
 *
 * It needs no three.js, so a screen can check a picked file at once; the
 * loader runs it first, so three.js only ever sees bytes that are a whole
 * GLB naming VRM. Invariant: every problem is a `VrmError`, never a
 * RangeError from reading past the end.
 */
import { MAX_VRM_BYTES, VrmError } from "./errors";

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a;
const HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

export interface VrmSummary {
  /** "1" for VRM 1.0 (`VRMC_vrm`), "0" for VRM 0.x (`VRM`). */
  vrmVersion: "0" | "1";
  /** The avatar's name from its metadata, when it has one. */
  name: string | null;
  /** The file's size in bytes. */
  byteLength: number;
}

/** Checks that `bytes` hold a whole GLB with a VRM extension; throws a VrmError otherwise. */
export function inspectVrm(bytes: ArrayBuffer): VrmSummary {
  if (bytes.byteLength === 0) throw new VrmError("empty");
  if (bytes.byteLength > MAX_VRM_BYTES) throw new VrmError("too_large");
  const view = new DataView(bytes);
  if (bytes.byteLength < 4 || view.getUint32(0, true) !== GLB_MAGIC) throw new VrmError("not_glb");
  if (bytes.byteLength < HEADER_BYTES + CHUNK_HEADER_BYTES) throw new VrmError("truncated");
  // glTF 1.0 predates VRM, so an old GLB cannot be an avatar.
  if (view.getUint32(4, true) !== 2) throw new VrmError("not_vrm");
  const declared = view.getUint32(8, true);
  if (declared > bytes.byteLength) throw new VrmError("truncated");
  if (declared < HEADER_BYTES + CHUNK_HEADER_BYTES) throw new VrmError("unreadable");

  // A file cut short fails above; a chunk overrunning a whole file means it was damaged.
  let at = HEADER_BYTES;
  let json: unknown = undefined;
  while (at < declared) {
    if (at + CHUNK_HEADER_BYTES > declared) throw new VrmError("unreadable");
    const length = view.getUint32(at, true);
    const type = view.getUint32(at + 4, true);
    const start = at + CHUNK_HEADER_BYTES;
    if (start + length > declared) throw new VrmError("unreadable");
    if (at === HEADER_BYTES) {
      if (type !== CHUNK_JSON) throw new VrmError("unreadable");
      json = parseJson(new Uint8Array(bytes, start, length));
    }
    at = start + length;
  }
  return summarise(json, bytes.byteLength);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  } catch (cause) {
    throw new VrmError("unreadable", { cause });
  }
}

function summarise(json: unknown, byteLength: number): VrmSummary {
  if (!isObject(json)) throw new VrmError("unreadable");
  // A .vrm is one self-contained file; one that names others must not make the webview fetch them.
  for (const list of [json.buffers, json.images]) {
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      const uri = isObject(item) ? item.uri : undefined;
      if (uri !== undefined && !(typeof uri === "string" && uri.startsWith("data:"))) throw new VrmError("external_files");
    }
  }
  const extensions = isObject(json.extensions) ? json.extensions : {};
  const used = Array.isArray(json.extensionsUsed) ? (json.extensionsUsed as unknown[]) : [];
  const v1 = extensions.VRMC_vrm;
  if (used.includes("VRMC_vrm") && isObject(v1)) {
    return { vrmVersion: "1", name: metaName(v1.meta, "name"), byteLength };
  }
  const v0 = extensions.VRM;
  if (isObject(v0)) return { vrmVersion: "0", name: metaName(v0.meta, "title"), byteLength };
  throw new VrmError("not_vrm");
}

function metaName(meta: unknown, key: string): string | null {
  const name = isObject(meta) ? meta[key] : undefined;
  return typeof name === "string" && name.trim() ? name.trim() : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
