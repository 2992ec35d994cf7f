import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { TwinDetails, TwinParams } from "../bindings";
import { AppError } from "../errors";
import type { Api } from "../ipc";
import { AboutPanel } from "./AboutPanel";

const params = {
  name: "Maya Okafor",
  role: "Product manager",
  greeting: "",
  tone: { casual: 0.5, detailed: 0.3 },
  languages: ["en", "zh"],
  decline_topics: ["salaries"],
  voice: { speed: 1.2, pitch_semitones: 0, liveliness: 1 },
  facts: { role: ["Head of dispatch"] },
} as unknown as TwinParams;
const twin = { summary: { id: "maya", name: "Maya Okafor" }, params } as unknown as TwinDetails;

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

function type(root: HTMLElement, css: string, value: string) {
  const el = root.querySelector<HTMLInputElement | HTMLTextAreaElement>(css);
  if (!el) throw new Error(css);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

async function mount(updateTwin: (id: string, p: TwinParams) => Promise<unknown>) {
  const saved: TwinDetails[] = [];
  const root = document.createElement("div");
  document.body.append(root);
  await act(() => {
    render(<AboutPanel api={{ updateTwin } as unknown as Api} twin={twin} onSaved={(d) => saved.push(d)} />, root);
  });
  return { root, saved };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("AboutPanel", () => {
  it("saves who the twin is and how it talks, keeping the rest of its settings", async () => {
    const sent: TwinParams[] = [];
    const { root, saved } = await mount((_id, p) => {
      sent.push(p);
      return Promise.resolve(twin.summary);
    });
    await act(() => {
      type(root, "#about-greeting", "Hi, I'm Maya's twin.");
      type(root, "#about-casual", "0.8");
      type(root, "#about-topics", "salaries\n\n  reorganisation \n");
      root.querySelector<HTMLInputElement>("[data-testid=about-lang-zh]")?.click();
    });
    await act(() => root.querySelector<HTMLFormElement>("form")?.requestSubmit());
    await settle();
    const p = sent[0];
    expect(p?.greeting).toBe("Hi, I'm Maya's twin.");
    expect(p?.tone.casual).toBe(0.8);
    expect(p?.languages).toEqual(["en"]);
    expect(p?.decline_topics).toEqual(["salaries", "reorganisation"]);
    expect(p?.voice.speed).toBe(1.2);
    expect(p?.facts).toEqual({ role: ["Head of dispatch"] });
    expect(saved).toHaveLength(1);
    expect(root.querySelector("[data-testid=about-status]")?.textContent).toContain("Saved");
  });

  it("shows the engine's reason when it refuses", async () => {
    const { root, saved } = await mount(() =>
      Promise.reject(new AppError({ code: "invalid_input", message: "the name is empty", details: null })),
    );
    await act(() => type(root, "#about-name", ""));
    await act(() => root.querySelector<HTMLFormElement>("form")?.requestSubmit());
    await settle();
    expect(root.querySelector("[data-testid=about-status]")?.textContent).toBe("the name is empty");
    expect(saved).toEqual([]);
  });
});
