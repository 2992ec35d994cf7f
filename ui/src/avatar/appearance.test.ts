import { describe, expect, it } from "vitest";
import type { Appearance } from "./appearance";
import { DEFAULT_APPEARANCE, isHexColor, parseAppearance } from "./appearance";

const VALID: Appearance = {
  face_shape: "square",
  skin_tone: "#8D5A3B",
  hair_style: "curly",
  hair_color: "#1d1511",
  eye_color: "#3a5f8a",
  glasses: true,
  clothing: "sweater",
  clothing_color: "#7a8f6a",
};

describe("parseAppearance", () => {
  it("keeps a valid appearance, with colours in lowercase", () => {
    expect(parseAppearance(VALID)).toEqual({ ...VALID, skin_tone: "#8d5a3b" });
  });

  it("reads JSON text too", () => {
    expect(parseAppearance(JSON.stringify(VALID))).toEqual({ ...VALID, skin_tone: "#8d5a3b" });
    expect(parseAppearance("{not json")).toEqual(DEFAULT_APPEARANCE);
  });

  it("falls back to the defaults for anything that is not an object", () => {
    for (const input of [null, undefined, 0, true, [], [VALID], "", "null", () => VALID]) {
      expect(parseAppearance(input)).toEqual(DEFAULT_APPEARANCE);
    }
  });

  it("replaces each bad or missing field with its default, keeping the good ones", () => {
    const parsed = parseAppearance({ face_shape: "triangle", hair_style: "long", glasses: "yes", clothing: 3 });
    expect(parsed).toEqual({ ...DEFAULT_APPEARANCE, hair_style: "long" });
  });

  it("rejects hostile and malformed colours", () => {
    const hostile = [
      "red;} body{display:none",
      "#fff",
      "#12345",
      "#1234567",
      "#12345g",
      " #123456",
      "#123456 ",
      "#123456;}",
      "#123456\n",
      "url(#x)",
      "var(--accent)",
      "red",
      "rgb(0,0,0)",
      "javascript:alert(1)",
      "\"><script>alert(1)</script>",
      123456,
      null,
      {},
      ["#123456"],
    ];
    for (const bad of hostile) {
      const parsed = parseAppearance({ skin_tone: bad, hair_color: bad, eye_color: bad, clothing_color: bad });
      expect(parsed, JSON.stringify(bad)).toEqual(DEFAULT_APPEARANCE);
      expect(isHexColor(bad)).toBe(false);
    }
  });

  it("rejects hostile enum values", () => {
    const parsed = parseAppearance({
      face_shape: "oval\" onload=\"alert(1)",
      hair_style: "__proto__",
      clothing: "toString",
    });
    expect(parsed).toEqual(DEFAULT_APPEARANCE);
  });

  it("reads only the object's own fields", () => {
    const inherited = Object.create({ face_shape: "round", glasses: true }) as object;
    expect(parseAppearance(inherited)).toEqual(DEFAULT_APPEARANCE);
    const polluted = parseAppearance(JSON.parse('{"__proto__": {"glasses": true}, "hair_style": "bun"}'));
    expect(polluted).toEqual({ ...DEFAULT_APPEARANCE, hair_style: "bun" });
    expect(({} as Record<string, unknown>).glasses).toBeUndefined();
  });

  it("returns a fresh object every time, and the default is frozen", () => {
    const a = parseAppearance(null);
    a.glasses = true;
    expect(parseAppearance(null).glasses).toBe(false);
    expect(Object.isFrozen(DEFAULT_APPEARANCE)).toBe(true);
  });
});
