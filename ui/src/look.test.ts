import { describe, expect, it } from "vitest";
import type { Appearance as StoredLook } from "./bindings";
import { toAvatar, toStored } from "./look";

const stored: StoredLook = {
  face: "heart",
  skin: "#e0b38f",
  hair_style: "none",
  hair_colour: "#3b2a20",
  eye_colour: "#4a3526",
  glasses: true,
  clothing: "hoodie",
  clothing_colour: "#2f4a6d",
  vrm: "me.vrm",
};

describe("look", () => {
  it("draws every stored look and maps the wider vocabulary", () => {
    const a = toAvatar(stored);
    expect(a).toMatchObject({ face_shape: "oval", hair_style: "bald", clothing: "sweater", glasses: true, skin_tone: "#e0b38f" });
  });

  it("round-trips a drawable look and keeps the VRM choice", () => {
    const a = toAvatar({ ...stored, face: "round", hair_style: "bun", clothing: "shirt" });
    const back = toStored(a, stored);
    expect(back).toEqual({ ...stored, face: "round", hair_style: "bun", clothing: "shirt" });
    expect(toStored(toAvatar(stored), stored).hair_style).toBe("none");
  });

  it("falls back to defaults for hostile stored values", () => {
    const a = toAvatar({ ...stored, skin: "red;} body{display:none", face: "triangle" });
    expect(a.skin_tone).toMatch(/^#[0-9a-f]{6}$/);
    expect(a.face_shape).toBe("oval");
  });
});
