/**
 * The desktop around the window: the system's open-file dialog and files
 * dropped on the window. Both give real paths (the webview's own drop and
 * file inputs do not), which the Rust side copies into the twin.
 *
 * Invariant: outside Tauri (unit tests, a plain browser) nothing here throws:
 * the pickers resolve with no choice and dropping is simply not offered.
 */
import type { UnlistenFn } from "@tauri-apps/api/event";

export type PickKind = "documents" | "voice" | "avatar" | "model" | "folder";

const FILTERS: Record<Exclude<PickKind, "folder">, { name: string; extensions: string[] }[]> = {
  documents: [
    {
      name: "Documents",
      extensions: ["pdf", "docx", "pptx", "xlsx", "csv", "md", "markdown", "txt", "html", "htm"],
    },
  ],
  voice: [{ name: "Recordings", extensions: ["wav", "mp3", "flac", "ogg", "m4a", "aac"] }],
  avatar: [{ name: "VRM avatars", extensions: ["vrm"] }],
  model: [{ name: "Models (GGUF, whisper.cpp, Piper voice)", extensions: ["gguf", "bin", "onnx"] }],
};

function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** Asks the owner for files (or a folder); resolves with their paths, empty when cancelled. */
export async function pick(kind: PickKind, title: string): Promise<string[]> {
  if (!inTauri()) return [];
  const { open } = await import("@tauri-apps/plugin-dialog");
  const chosen =
    kind === "folder"
      ? await open({ directory: true, multiple: false, title })
      : await open({ multiple: kind === "documents" || kind === "voice", title, filters: FILTERS[kind] });
  if (chosen === null) return [];
  return Array.isArray(chosen) ? chosen : [chosen];
}

export type DropState = { over: boolean };

/**
 * Calls `onOver(true/false)` while files are dragged over the window and
 * `onDrop(paths)` when they are let go; returns the function that stops listening.
 */
export async function listenForDrops(
  onOver: (over: boolean) => void,
  onDrop: (paths: string[]) => void,
): Promise<UnlistenFn> {
  if (!inTauri()) return () => {};
  const { getCurrentWebview } = await import("@tauri-apps/api/webview");
  return getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === "enter" || p.type === "over") onOver(true);
    else if (p.type === "leave") onOver(false);
    else {
      onOver(false);
      if (p.paths.length > 0) onDrop(p.paths);
    }
  });
}

const AUDIO = /\.(wav|mp3|flac|ogg|oga|opus|m4a|aac)$/i;

/** Splits dropped paths into recordings and everything else (documents or folders of them). */
export function sortDropped(paths: string[]): { documents: string[]; voice: string[] } {
  return { documents: paths.filter((p) => !AUDIO.test(p)), voice: paths.filter((p) => AUDIO.test(p)) };
}
