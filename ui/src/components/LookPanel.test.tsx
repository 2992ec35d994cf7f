import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { TwinDetails, TwinParams } from "../bindings";
import { AppError } from "../errors";
import type { Api } from "../ipc";
import { makeTestVrm } from "../avatar/vrm/testVrm";
import { fromBase64 } from "../avatarModel";
import { LookPanel } from "./LookPanel";
import { TwinFace } from "./TwinFace";

const appearance = {
  face: "oval",
  skin: "#e0b38f",
  hair_style: "short",
  hair_colour: "#3b2a20",
  eye_colour: "#4a3526",
  glasses: false,
  clothing: "blazer",
  clothing_colour: "#2f4a6d",
  vrm: null,
};
const twin: TwinDetails = {
  summary: { id: "maya", name: "Maya", role: "", created_at: "", updated_at: "", score: null },
  params: { name: "Maya", role: "", greeting: "", tone: { casual: 0.5, detailed: 0.5 }, languages: ["en"], decline_topics: [], appearance, voice: { speed: 1, pitch_semitones: 0, liveliness: 1 }, facts: {} },
};

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

async function mount(api: Partial<Api>, details: TwinDetails = twin, vrm: ArrayBuffer | null = null) {
  const saved: TwinDetails[] = [];
  const root = document.createElement("div");
  document.body.append(root);
  await act(() => {
    render(<LookPanel api={api as Api} twin={details} vrm={vrm} onSaved={(d) => saved.push(d)} />, root);
  });
  return { root, saved };
}

async function typeAndSubmit(root: HTMLElement, path: string) {
  const input = root.querySelector<HTMLInputElement>("#vrm-path");
  if (!input) throw new Error("no path field");
  await act(() => {
    input.value = path;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await act(() => input.form?.requestSubmit());
  await settle();
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("LookPanel's own avatar", () => {
  it("uses a VRM by its path and saves it with the twin", async () => {
    const calls: string[] = [];
    const setAvatar = (_id: string, path: string): Promise<TwinParams> => {
      calls.push(path);
      return Promise.resolve({ ...twin.params, appearance: { ...appearance, vrm: "avatar.vrm" } });
    };
    const { root, saved } = await mount({ setAvatar });
    expect(root.querySelector("[data-testid=vrm-panel]")?.getAttribute("data-chosen")).toBe("false");
    await typeAndSubmit(root, "/home/maya/me.vrm");
    expect(calls).toEqual(["/home/maya/me.vrm"]);
    expect(saved[0]?.params.appearance.vrm).toBe("avatar.vrm");
    expect(root.querySelector("[data-testid=vrm-status]")?.textContent).toContain("saved with the twin");
  });

  it("says why a file is refused", async () => {
    const setAvatar = () =>
      Promise.reject(new AppError({ code: "invalid_input", message: "/x.pdf is not a VRM avatar: it is not a binary glTF (.vrm/.glb) file", details: null }));
    const { root, saved } = await mount({ setAvatar });
    await typeAndSubmit(root, "/x.pdf");
    expect(root.querySelector("[data-testid=vrm-status]")?.textContent).toContain("is not a VRM avatar");
    expect(saved).toEqual([]);
  });

  it("goes back to the drawn face", async () => {
    const chosen = { ...twin, params: { ...twin.params, appearance: { ...appearance, vrm: "avatar.vrm" } } };
    const removeAvatar = () => Promise.resolve({ ...twin.params, appearance });
    const { root, saved } = await mount({ removeAvatar }, chosen, makeTestVrm());
    expect(root.querySelector("[data-testid=vrm-panel]")?.getAttribute("data-chosen")).toBe("true");
    await act(() => root.querySelector<HTMLButtonElement>("[data-testid=remove-vrm]")?.click());
    await settle();
    expect(saved[0]?.params.appearance.vrm).toBeNull();
  });
});

describe("TwinFace", () => {
  it("falls back to the drawn face, saying why, where WebGL 2 is missing", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    await act(() => {
      render(<TwinFace vrm={makeTestVrm()} appearance={{} as never} emotion="neutral" name="Maya" />, root);
    });
    await settle();
    expect(root.querySelector("svg")).not.toBeNull();
    expect(root.querySelector("[data-testid=vrm-fallback]")?.textContent).toContain("WebGL 2");
  });

  it("draws the built-in face when there is no VRM", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    await act(() => {
      render(<TwinFace vrm={null} appearance={{} as never} emotion="neutral" name="Maya" />, root);
    });
    expect(root.querySelector("svg")).not.toBeNull();
    expect(root.querySelector("[data-testid=vrm-fallback]")).toBeNull();
  });
});

describe("fromBase64", () => {
  it("decodes the model's bytes and refuses what is not base64", () => {
    const bytes = new Uint8Array(fromBase64(btoa("glTF\u0002")) ?? new ArrayBuffer(0));
    expect([...bytes]).toEqual([103, 108, 84, 70, 2]);
    expect(fromBase64("***")).toBeNull();
    expect(fromBase64("")?.byteLength).toBe(0);
  });
});
