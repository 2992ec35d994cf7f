/**
 * The twin's own VRM model, fetched once per screen as base64 from the Rust
 * side and decoded into the bytes the VRM avatar loads.
 */
import { useEffect, useState } from "preact/hooks";
import type { Api } from "./ipc";

/** Decodes base64 into a fresh ArrayBuffer; `null` for text that is not base64. */
export function fromBase64(text: string): ArrayBuffer | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/**
 * The model of twin `id` while `chosen` (the stored `appearance.vrm`) names one;
 * `null` while loading, without one, or when it cannot be read (the drawn face shows then).
 */
export function useAvatarModel(api: Api, id: string, chosen: string | null | undefined): ArrayBuffer | null {
  const [model, setModel] = useState<ArrayBuffer | null>(null);
  useEffect(() => {
    setModel(null);
    if (!chosen) return;
    let gone = false;
    api.avatarModel(id).then(
      (text) => !gone && setModel(text === null ? null : fromBase64(text)),
      () => !gone && setModel(null),
    );
    return () => {
      gone = true;
    };
  }, [api, id, chosen]);
  return model;
}
