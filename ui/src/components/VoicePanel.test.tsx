import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { TwinDetails, TwinParams } from "../bindings";
import type { Api } from "../ipc";
import { VoicePanel } from "./VoicePanel";

const params = {
  name: "Maya",
  greeting: "Hi, I'm Maya.",
  voice: { speed: 1, pitch_semitones: 0, liveliness: 1 },
} as unknown as TwinParams;
const twin = { summary: { id: "maya", name: "Maya" }, params } as unknown as TwinDetails;

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

async function mount() {
  const calls: string[] = [];
  const api = {
    updateTwin: (_id: string, p: TwinParams) => {
      calls.push(`save ${p.voice.speed} ${p.voice.pitch_semitones} ${p.voice.liveliness}`);
      return Promise.resolve(twin.summary);
    },
    speakReply: (_id: string, text: string) => {
      calls.push(`speak ${text}`);
      return Promise.resolve({ visemes: [], duration_ms: 1000, offset_ms: 0, skipped: null });
    },
    endReply: () => Promise.resolve(),
  } as unknown as Api;
  const saved: TwinDetails[] = [];
  const root = document.createElement("div");
  document.body.append(root);
  await act(() => {
    render(<VoicePanel api={api} twin={twin} onSaved={(d) => saved.push(d)} />, root);
  });
  return { root, calls, saved };
}

function slide(root: HTMLElement, key: string, value: number) {
  const input = root.querySelector<HTMLInputElement>(`[data-testid=voice-${key}]`);
  if (!input) throw new Error(key);
  input.value = String(value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("VoicePanel", () => {
  it("previews the voice as set, speaking the greeting, and saves it", async () => {
    const { root, calls, saved } = await mount();
    expect(root.querySelector<HTMLButtonElement>("[data-testid=voice-save]")?.disabled).toBe(true);
    await act(() => {
      slide(root, "speed", 1.25);
      slide(root, "pitch_semitones", -2);
    });
    expect(root.textContent).toContain("1.25×");
    expect(root.textContent).toContain("-2.0");
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=voice-preview]")?.click());
    await settle();
    expect(calls).toEqual(["save 1.25 -2 1", "speak Hi, I'm Maya."]);
    expect(saved[0]?.params.voice).toEqual({ speed: 1.25, pitch_semitones: -2, liveliness: 1 });
    expect(root.querySelector("[data-testid=voice-status]")?.textContent).toContain("how your twin sounds");
  });
});
