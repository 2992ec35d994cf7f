/**
 * What a twin's avatar looks like, and the validation of stored appearances.
 *
 * Invariant: every `Appearance` that leaves `parseAppearance` is safe to put
 * in SVG attributes and CSS: enums are from the fixed lists below and colours
 * are lowercase `#rrggbb`. Anything else (missing, misspelt, hostile) falls
 * back to the default for that field, field by field.
 */

export const FACE_SHAPES = ["oval", "round", "square"] as const;
export const HAIR_STYLES = ["short", "long", "bun", "bald", "curly"] as const;
export const CLOTHING_STYLES = ["blazer", "sweater", "shirt"] as const;

export type FaceShape = (typeof FACE_SHAPES)[number];
export type HairStyle = (typeof HAIR_STYLES)[number];
export type ClothingStyle = (typeof CLOTHING_STYLES)[number];

/** Field names are snake_case, like the rest of the data that crosses to Rust. */
export interface Appearance {
  face_shape: FaceShape;
  /** `#rrggbb`. */
  skin_tone: string;
  hair_style: HairStyle;
  hair_color: string;
  eye_color: string;
  glasses: boolean;
  clothing: ClothingStyle;
  clothing_color: string;
}

export const DEFAULT_APPEARANCE: Readonly<Appearance> = Object.freeze({
  face_shape: "oval",
  skin_tone: "#d9a27e",
  hair_style: "short",
  hair_color: "#3b2a20",
  eye_color: "#5b4632",
  glasses: false,
  clothing: "blazer",
  clothing_color: "#2c3e57",
});

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** True for exactly `#rrggbb` (no names, no shorthand, nothing around it). */
export function isHexColor(value: unknown): value is string {
  return typeof value === "string" && HEX_COLOR.test(value);
}

/**
 * Reads an appearance from untrusted data: a parsed JSON value or JSON text.
 * Never throws; returns a fresh object.
 */
export function parseAppearance(input: unknown): Appearance {
  let data = input;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      data = null;
    }
  }
  const d = DEFAULT_APPEARANCE;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { ...d };
  const record = data as Record<string, unknown>;
  const own = (key: keyof Appearance): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);
  return {
    face_shape: oneOf(own("face_shape"), FACE_SHAPES, d.face_shape),
    skin_tone: color(own("skin_tone"), d.skin_tone),
    hair_style: oneOf(own("hair_style"), HAIR_STYLES, d.hair_style),
    hair_color: color(own("hair_color"), d.hair_color),
    eye_color: color(own("eye_color"), d.eye_color),
    glasses: typeof own("glasses") === "boolean" ? (own("glasses") as boolean) : d.glasses,
    clothing: oneOf(own("clothing"), CLOTHING_STYLES, d.clothing),
    clothing_color: color(own("clothing_color"), d.clothing_color),
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function color(value: unknown, fallback: string): string {
  return isHexColor(value) ? value.toLowerCase() : fallback;
}
