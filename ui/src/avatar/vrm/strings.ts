/**
 * The VRM avatar's UI text in English and Chinese (Simplified), following
 * the app's current locale, as ../strings.ts does for the SVG face.
 *
 * Invariant: `zh` has exactly the keys of `en` (the type says so), and there
 * is one `vrm.error.*` message per VrmErrorCode.
 */
import { format, locale } from "../../i18n";
import type { VrmErrorCode } from "./errors";

const en = {
  "vrm.loading": "Loading the avatar…",
  "vrm.unavailable": "This computer cannot show 3D avatars because WebGL 2 is not available; the drawn avatar still works.",
  "vrm.error.empty": "The avatar file is empty. Choose a .vrm file exported from VRoid Studio or another VRM editor.",
  "vrm.error.too_large": "The avatar file is larger than 200 MB. Export it again with smaller textures.",
  "vrm.error.not_glb": "This file is not a VRM avatar. Choose a .vrm file exported from VRoid Studio or another VRM editor.",
  "vrm.error.truncated": "The avatar file is incomplete, probably cut off while copying. Copy or download it again.",
  "vrm.error.not_vrm":
    "This 3D model is not a VRM avatar. Export it as VRM, for example with VRoid Studio or the VRM add-on for Blender.",
  "vrm.error.external_files": "The avatar refers to files outside it. Export it again as a single .vrm file.",
  "vrm.error.unreadable": "The avatar file is damaged and could not be read. Export it again from your VRM editor.",
} as const;

export type VrmMessageKey = keyof typeof en;

const zh: Record<VrmMessageKey, string> = {
  "vrm.loading": "正在加载形象…",
  "vrm.unavailable": "这台电脑不支持 WebGL 2，无法显示 3D 形象；绘制的形象仍可使用。",
  "vrm.error.empty": "形象文件是空的。请选择从 VRoid Studio 或其他 VRM 编辑器导出的 .vrm 文件。",
  "vrm.error.too_large": "形象文件超过 200 MB。请缩小贴图后重新导出。",
  "vrm.error.not_glb": "此文件不是 VRM 形象。请选择从 VRoid Studio 或其他 VRM 编辑器导出的 .vrm 文件。",
  "vrm.error.truncated": "形象文件不完整，可能在复制时被截断。请重新复制或下载。",
  "vrm.error.not_vrm": "此 3D 模型不是 VRM 形象。请将其导出为 VRM，例如使用 VRoid Studio 或 Blender 的 VRM 插件。",
  "vrm.error.external_files": "此形象引用了文件以外的其他文件。请重新导出为单个 .vrm 文件。",
  "vrm.error.unreadable": "形象文件已损坏，无法读取。请在 VRM 编辑器中重新导出。",
};

export const vrmMessages = { en, zh } as const;

/** Translates `key` in the app's current locale. */
export function vt(key: VrmMessageKey, vars?: Record<string, string | number>): string {
  return format(vrmMessages[locale.get()][key], vars);
}

/** What to tell the user about a VRM file's problem, in the current locale. */
export function vrmErrorText(code: VrmErrorCode): string {
  return vt(`vrm.error.${code}`);
}
