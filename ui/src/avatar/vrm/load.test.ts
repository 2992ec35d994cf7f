import { afterEach, describe, expect, it, vi } from "vitest";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { missingExpressions, VRM_EXPRESSIONS } from "./drive";
import type { VrmErrorCode } from "./errors";
import { MAX_VRM_BYTES, VRM_ERROR_CODES, VrmError } from "./errors";
import { inspectVrm } from "./glb";
import { loadVrm } from "./load";
import { makeTestVrm, packGlb, TEST_VRM_EXPRESSIONS } from "./testVrm";

const text = (s: string) => new TextEncoder().encode(s).buffer;

/** A GLB whose JSON chunk holds `body` verbatim (it may be invalid JSON). */
function glbWithJson(body: string): ArrayBuffer {
  const good = new Uint8Array(packGlb({}, null));
  const json = new TextEncoder().encode(body.padEnd(Math.ceil(body.length / 4) * 4, " "));
  const out = new Uint8Array(20 + json.byteLength);
  out.set(good.subarray(0, 20));
  const view = new DataView(out.buffer);
  view.setUint32(8, out.byteLength, true);
  view.setUint32(12, json.byteLength, true);
  out.set(json, 20);
  return out.buffer;
}

interface GltfJson extends Record<string, unknown> {
  extensions: { VRMC_vrm: Record<string, unknown> };
}

/** The test avatar with its glTF JSON edited by `edit`; the BIN chunk is kept. */
function editedVrm(edit: (json: GltfJson) => void): ArrayBuffer {
  const bytes = makeTestVrm();
  const view = new DataView(bytes);
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 20, jsonLength))) as GltfJson;
  edit(json);
  const binAt = 20 + jsonLength;
  const bin = new Uint8Array(bytes, binAt + 8, view.getUint32(binAt, true));
  return packGlb(json, bin);
}

function withVersion(bytes: ArrayBuffer, version: number): ArrayBuffer {
  const copy = bytes.slice(0);
  new DataView(copy).setUint32(4, version, true);
  return copy;
}

const full = makeTestVrm();

const BAD: [string, () => ArrayBuffer, VrmErrorCode][] = [
  ["an empty file", () => new ArrayBuffer(0), "empty"],
  ["a file over 200 MB", () => new ArrayBuffer(MAX_VRM_BYTES + 1), "too_large"],
  ["a text file", () => text("hello, this is not a model\n"), "not_glb"],
  ["three bytes", () => text("glT"), "not_glb"],
  ["a JPEG", () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1]).buffer, "not_glb"],
  ["a JSON glTF", () => text(JSON.stringify({ asset: { version: "2.0" } })), "not_glb"],
  ["a GLB cut inside its header", () => full.slice(0, 10), "truncated"],
  ["a GLB cut inside its JSON", () => full.slice(0, 200), "truncated"],
  ["a GLB missing its last bytes", () => full.slice(0, full.byteLength - 100), "truncated"],
  ["a GLB missing its last byte", () => full.slice(0, full.byteLength - 1), "truncated"],
  ["a plain glTF model", () => makeTestVrm({ vrm: false }), "not_vrm"],
  ["a glTF 1.0 GLB", () => withVersion(full, 1), "not_vrm"],
  ["a VRM extension without a humanoid", () => editedVrm((json) => delete json.extensions.VRMC_vrm.humanoid), "not_vrm"],
  ["a VRM extension without metadata", () => editedVrm((json) => delete json.extensions.VRMC_vrm.meta), "not_vrm"],
  [
    "a model that names an outside buffer",
    () => glbWithJson(JSON.stringify({ asset: { version: "2.0" }, buffers: [{ uri: "model.bin", byteLength: 4 }] })),
    "external_files",
  ],
  [
    "a model that names an outside image",
    () =>
      editedVrm((json) => {
        json.images = [{ uri: "skin.png" }];
      }),
    "external_files",
  ],
  ["invalid JSON", () => glbWithJson('{"asset": {"version": "2.0"'), "unreadable"],
  ["a JSON array", () => glbWithJson("[1, 2, 3]"), "unreadable"],
  [
    "a humanoid missing required bones",
    () =>
      editedVrm((json) => {
        json.extensions.VRMC_vrm.humanoid = { humanBones: { head: { node: 3 } } };
      }),
    "unreadable",
  ],
];

describe("loadVrm", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("loads the test avatar with its metadata, head and every driven expression", async () => {
    const vrm = await loadVrm(makeTestVrm());
    expect(vrm.meta.metaVersion === "1" && vrm.meta.name).toBe("Alter test avatar");
    expect(vrm.humanoid.getNormalizedBoneNode("head")).not.toBeNull();
    expect(Object.keys(vrm.expressionManager?.expressionMap ?? {}).sort()).toEqual([...TEST_VRM_EXPRESSIONS].sort());
    expect(missingExpressions(vrm)).toEqual([]);
    expect(VRM_EXPRESSIONS).toHaveLength(TEST_VRM_EXPRESSIONS.length);
  });

  it("loads an avatar that lacks some expressions and says which", async () => {
    const vrm = await loadVrm(makeTestVrm({ expressions: ["aa", "blink"] }));
    expect(missingExpressions(vrm)).toEqual(["ih", "ou", "ee", "oh", "happy", "angry", "sad", "relaxed", "surprised"]);
  });

  it.each(BAD)("refuses %s with a plain sentence", async (_what, bytes, code) => {
    const error = await loadVrm(bytes()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VrmError);
    const e = error as VrmError;
    expect(e.code).toBe(code);
    expect(e.name).toBe("VrmError");
    expect(e.message).toMatch(/^[A-Z].*\.$/);
    expect(e.message).not.toMatch(/\n|\.\s|VRMHumanoid|undefined/);
  });

  it("refuses a huge file without parsing it", async () => {
    const parse = vi.spyOn(GLTFLoader.prototype, "parseAsync");
    await expect(loadVrm(new ArrayBuffer(MAX_VRM_BYTES + 1))).rejects.toMatchObject({ code: "too_large" });
    expect(parse).not.toHaveBeenCalled();
  });

  it("keeps the parser's own error as the cause", async () => {
    const bytes = editedVrm((json) => {
      json.extensions.VRMC_vrm.humanoid = { humanBones: { head: { node: 3 } } };
    });
    const error = (await loadVrm(bytes).catch((e: unknown) => e)) as VrmError;
    expect(String(error.cause)).toMatch(/required/);
  });

  it("has one distinct message per error code", () => {
    const messages = VRM_ERROR_CODES.map((code) => new VrmError(code).message);
    expect(new Set(messages).size).toBe(VRM_ERROR_CODES.length);
  });
});

describe("inspectVrm", () => {
  it("summarises the test avatar without three.js", () => {
    const bytes = makeTestVrm();
    expect(inspectVrm(bytes)).toEqual({ vrmVersion: "1", name: "Alter test avatar", byteLength: bytes.byteLength });
  });

  it("recognises a VRM 0.x file by its extension", () => {
    const json = { asset: { version: "2.0" }, extensions: { VRM: { meta: { title: " Maya " } } } };
    expect(inspectVrm(packGlb(json, null))).toMatchObject({ vrmVersion: "0", name: "Maya" });
  });

  it.each(BAD.filter(([what]) => !/humanoid|metadata/.test(what)))("refuses %s", (_what, bytes, code) => {
    expect(() => inspectVrm(bytes())).toThrow(expect.objectContaining({ code }) as Error);
  });
});
