/**
 * The avatar's look as stored with the twin (`TwinParams.appearance`, the
 * same fields as `twin.toml`) and as the avatar draws it, converted both ways.
 *
 * Invariant: every stored look maps to a drawable one (the stored vocabulary
 * is wider: a heart-shaped face draws oval, a hoodie as a sweater), and every
 * drawable look maps to one the engine accepts; the VRM choice is kept.
 */
import type { Appearance as StoredLook } from "./bindings";
import type { Appearance } from "./avatar";
import { parseAppearance } from "./avatar";

export function toAvatar(stored: StoredLook): Appearance {
  return parseAppearance({
    face_shape: stored.face === "heart" ? "oval" : stored.face,
    skin_tone: stored.skin,
    hair_style: stored.hair_style === "none" ? "bald" : stored.hair_style,
    hair_color: stored.hair_colour,
    eye_color: stored.eye_colour,
    glasses: stored.glasses,
    clothing: stored.clothing === "hoodie" ? "sweater" : stored.clothing,
    clothing_color: stored.clothing_colour,
  });
}

export function toStored(look: Appearance, previous: StoredLook): StoredLook {
  const a = parseAppearance(look);
  return {
    ...previous,
    face: a.face_shape,
    skin: a.skin_tone,
    hair_style: a.hair_style === "bald" ? "none" : a.hair_style,
    hair_colour: a.hair_color,
    eye_colour: a.eye_color,
    glasses: a.glasses,
    clothing: a.clothing,
    clothing_colour: a.clothing_color,
  };
}
