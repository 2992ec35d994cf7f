/**
 * The avatar module's UI text in English and Chinese (Simplified), following
 * the app's current locale (`locale` in ../i18n).
 *
 * Kept here so the module stays self-contained; the keys can move into
 * ../i18n.ts later. Invariant: `zh` has exactly the keys of `en` (the type says so).
 */
import { format, locale } from "../i18n";

const en = {
  "avatar.label": "{name}'s avatar",
  "avatar.label.anonymous": "Avatar",
  "avatar.speaking": "speaking",
  "avatar.listening": "listening",
  "avatar.joined": "{label}, {state}",
  "editor.legend": "Appearance",
  "editor.preview": "Preview",
  "editor.faceShape": "Face shape",
  "editor.skinTone": "Skin tone",
  "editor.hairStyle": "Hair style",
  "editor.hairColor": "Hair colour",
  "editor.eyeColor": "Eye colour",
  "editor.glasses": "Glasses",
  "editor.clothing": "Clothing",
  "editor.clothingColor": "Clothing colour",
  "face.oval": "Oval",
  "face.round": "Round",
  "face.square": "Square",
  "hair.short": "Short",
  "hair.long": "Long",
  "hair.bun": "Bun",
  "hair.bald": "Bald",
  "hair.curly": "Curly",
  "clothing.blazer": "Blazer",
  "clothing.sweater": "Sweater",
  "clothing.shirt": "Shirt",
} as const;

export type AvatarMessageKey = keyof typeof en;

const zh: Record<AvatarMessageKey, string> = {
  "avatar.label": "{name}的形象",
  "avatar.label.anonymous": "形象",
  "avatar.speaking": "正在说话",
  "avatar.listening": "正在聆听",
  "avatar.joined": "{label}，{state}",
  "editor.legend": "外观",
  "editor.preview": "预览",
  "editor.faceShape": "脸型",
  "editor.skinTone": "肤色",
  "editor.hairStyle": "发型",
  "editor.hairColor": "发色",
  "editor.eyeColor": "眼睛颜色",
  "editor.glasses": "眼镜",
  "editor.clothing": "服装",
  "editor.clothingColor": "服装颜色",
  "face.oval": "椭圆脸",
  "face.round": "圆脸",
  "face.square": "方脸",
  "hair.short": "短发",
  "hair.long": "长发",
  "hair.bun": "盘发",
  "hair.bald": "光头",
  "hair.curly": "卷发",
  "clothing.blazer": "西装外套",
  "clothing.sweater": "毛衣",
  "clothing.shirt": "衬衫",
};

export const avatarMessages = { en, zh } as const;

/** Translates `key` in the app's current locale. */
export function at(key: AvatarMessageKey, vars?: Record<string, string | number>): string {
  return format(avatarMessages[locale.get()][key], vars);
}

/** The avatar's accessible name, e.g. "Maya's avatar, speaking". */
export function avatarLabel(name: string, state: "idle" | "speaking" | "listening"): string {
  const trimmed = name.trim();
  const label = trimmed ? at("avatar.label", { name: trimmed }) : at("avatar.label.anonymous");
  if (state === "idle") return label;
  return at("avatar.joined", { label, state: at(state === "speaking" ? "avatar.speaking" : "avatar.listening") });
}
