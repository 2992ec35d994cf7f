/**
 * A tiny but valid VRM 1.0 avatar, built in code for tests: a humanoid
 * skeleton (the fifteen required bones plus the neck), one quad parented to
 * the head with a morph target per expression, and a `VRMC_vrm` extension
 * that binds each expression to its morph target.
 *
 * Invariants: the GLB follows glTF 2.0's binary layout (12-byte header, a
 * JSON chunk padded with spaces and a BIN chunk padded with zeros, each to
 * 4 bytes); morph target `i` is named after expression `i`, so a test can find
 * the influence an expression drives by name.
 */

/** The expressions the test avatar declares unless told otherwise. */
export const TEST_VRM_EXPRESSIONS = [
  "aa",
  "ih",
  "ou",
  "ee",
  "oh",
  "blink",
  "happy",
  "angry",
  "sad",
  "relaxed",
  "surprised",
] as const;

/** The glTF node that carries the face mesh. */
export const TEST_VRM_FACE_NODE = "Face";

export interface TestVrmOptions {
  /** Expressions to declare (default: all of `TEST_VRM_EXPRESSIONS`). */
  expressions?: readonly string[];
  /** False leaves out the VRM extension: a plain glTF model. */
  vrm?: boolean;
}

/** Bones as [name, parent, translation]; parents come before children. */
const BONES: readonly (readonly [string, string | null, readonly [number, number, number]])[] = [
  ["hips", null, [0, 0.9, 0]],
  ["spine", "hips", [0, 0.1, 0]],
  ["neck", "spine", [0, 0.35, 0]],
  ["head", "neck", [0, 0.1, 0]],
  // The model faces +Z, so its left side is +X.
  ["leftUpperArm", "spine", [0.15, 0.3, 0]],
  ["leftLowerArm", "leftUpperArm", [0.25, 0, 0]],
  ["leftHand", "leftLowerArm", [0.25, 0, 0]],
  ["rightUpperArm", "spine", [-0.15, 0.3, 0]],
  ["rightLowerArm", "rightUpperArm", [-0.25, 0, 0]],
  ["rightHand", "rightLowerArm", [-0.25, 0, 0]],
  ["leftUpperLeg", "hips", [0.08, -0.05, 0]],
  ["leftLowerLeg", "leftUpperLeg", [0, -0.4, 0]],
  ["leftFoot", "leftLowerLeg", [0, -0.4, 0]],
  ["rightUpperLeg", "hips", [-0.08, -0.05, 0]],
  ["rightLowerLeg", "rightUpperLeg", [0, -0.4, 0]],
  ["rightFoot", "rightLowerLeg", [0, -0.4, 0]],
];

/** The face quad, in the head's space. */
const QUAD = [
  [-0.08, -0.1, 0.08],
  [0.08, -0.1, 0.08],
  [0.08, 0.1, 0.08],
  [-0.08, 0.1, 0.08],
] as const;
const INDICES = [0, 1, 2, 0, 2, 3] as const;

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;
const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;
const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;

/** Builds the test avatar as the bytes of a `.vrm` (GLB) file. */
export function makeTestVrm(options: TestVrmOptions = {}): ArrayBuffer {
  const expressions = options.expressions ?? TEST_VRM_EXPRESSIONS;
  const withVrm = options.vrm ?? true;

  const bin = new BinWriter();
  const accessors: unknown[] = [];
  const bufferViews: unknown[] = [];
  const addAccessor = (data: Float32Array | Uint16Array, type: "VEC3" | "SCALAR", target: number, bounds?: Bounds) => {
    const byteOffset = bin.append(data);
    bufferViews.push({ buffer: 0, byteOffset, byteLength: data.byteLength, target });
    const componentType = data instanceof Float32Array ? FLOAT : UNSIGNED_SHORT;
    const count = type === "VEC3" ? data.length / 3 : data.length;
    accessors.push({ bufferView: bufferViews.length - 1, componentType, count, type, ...bounds });
    return accessors.length - 1;
  };

  const positions = new Float32Array(QUAD.flat());
  const position = addAccessor(positions, "VEC3", ARRAY_BUFFER, bounds(positions));
  const indices = addAccessor(new Uint16Array(INDICES), "SCALAR", ELEMENT_ARRAY_BUFFER);
  // Each expression moves one corner of the quad by its own amount, so every target differs.
  const targets = expressions.map((_, i) => {
    const delta = new Float32Array(12);
    delta[(i % 4) * 3 + 1] = 0.01 * (i + 1);
    return { POSITION: addAccessor(delta, "VEC3", ARRAY_BUFFER, bounds(delta)) };
  });

  const nodes: Record<string, unknown>[] = BONES.map(([name, , translation]) => ({ name, translation: [...translation] }));
  const boneIndex = new Map(BONES.map(([name], i) => [name, i]));
  BONES.forEach(([, parent], i) => {
    if (parent === null) return;
    const p = nodes[boneIndex.get(parent) as number] as { children?: number[] };
    (p.children ??= []).push(i);
  });
  const face = nodes.length;
  nodes.push({ name: TEST_VRM_FACE_NODE, mesh: 0 });
  ((nodes[boneIndex.get("head") as number] as { children?: number[] }).children ??= []).push(face);

  const json: Record<string, unknown> = {
    asset: { version: "2.0", generator: "Alter test avatar" },
    scene: 0,
    scenes: [{ nodes: [boneIndex.get("hips")] }],
    nodes,
    meshes: [
      {
        name: TEST_VRM_FACE_NODE,
        primitives: [{ attributes: { POSITION: position }, indices, material: 0, targets }],
        weights: expressions.map(() => 0),
        extras: { targetNames: [...expressions] },
      },
    ],
    materials: [{ name: "Skin", pbrMetallicRoughness: { baseColorFactor: [0.93, 0.78, 0.69, 1], metallicFactor: 0 } }],
    accessors,
    bufferViews,
    buffers: [{ byteLength: bin.length }],
  };
  if (withVrm) {
    json.extensionsUsed = ["VRMC_vrm"];
    json.extensions = { VRMC_vrm: vrmExtension(expressions, face, boneIndex) };
  }
  return packGlb(json, bin.bytes());
}

function vrmExtension(expressions: readonly string[], face: number, boneIndex: Map<string, number>) {
  const preset: Record<string, unknown> = {};
  expressions.forEach((name, index) => {
    preset[name] = {
      morphTargetBinds: [{ node: face, index, weight: 1 }],
      isBinary: false,
      overrideBlink: "none",
      overrideLookAt: "none",
      overrideMouth: "none",
    };
  });
  return {
    specVersion: "1.0",
    meta: {
      name: "Alter test avatar",
      version: "1",
      authors: ["Alter"],
      licenseUrl: "https://vrm.dev/licenses/1.0/",
      avatarPermission: "everyone",
      commercialUsage: "corporation",
      creditNotation: "unnecessary",
      allowRedistribution: true,
      modification: "allowModificationRedistribution",
    },
    humanoid: { humanBones: Object.fromEntries([...boneIndex].map(([name, node]) => [name, { node }])) },
    expressions: { preset },
  };
}

interface Bounds {
  min: number[];
  max: number[];
}

function bounds(vec3: Float32Array): Bounds {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < vec3.length; i++) {
    const axis = i % 3;
    const v = vec3[i] as number;
    min[axis] = Math.min(min[axis] as number, v);
    max[axis] = Math.max(max[axis] as number, v);
  }
  return { min, max };
}

/** Collects the binary chunk, keeping every view 4-byte aligned. */
class BinWriter {
  readonly #parts: Uint8Array[] = [];
  length = 0;

  append(data: ArrayBufferView): number {
    const offset = this.length;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.#parts.push(bytes);
    this.length += bytes.byteLength;
    const pad = (4 - (this.length % 4)) % 4;
    if (pad > 0) {
      this.#parts.push(new Uint8Array(pad));
      this.length += pad;
    }
    return offset;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.#parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}

/** Lays out a GLB: header, JSON chunk (space-padded), BIN chunk (zero-padded). */
export function packGlb(json: unknown, bin: Uint8Array | null): ArrayBuffer {
  const text = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = align4(text.byteLength);
  const binLength = bin ? align4(bin.byteLength) : 0;
  const total = 12 + 8 + jsonLength + (bin ? 8 + binLength : 0);
  const out = new ArrayBuffer(total);
  const view = new DataView(out);
  const bytes = new Uint8Array(out);
  view.setUint32(0, GLB_MAGIC, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, CHUNK_JSON, true);
  bytes.set(text, 20);
  bytes.fill(0x20, 20 + text.byteLength, 20 + jsonLength);
  if (bin) {
    const at = 20 + jsonLength;
    view.setUint32(at, binLength, true);
    view.setUint32(at + 4, CHUNK_BIN, true);
    bytes.set(bin, at + 8);
  }
  return out;
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
