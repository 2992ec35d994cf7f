import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { PersonaView, TwinParams } from "../bindings";
import { AppError } from "../errors";
import type { Api } from "../ipc";
import { PersonaPanel } from "./PersonaPanel";

const persona = (): PersonaView => ({
  revision: 3,
  kinds: ["name", "role", "team", "location"],
  learned: [
    { kind: "name", value: "Maya Okafor", sentence: "I'm Maya Okafor.", file: "profile.md", location: "paragraph 1", origin: "rules", confidence: 0.9 },
    { kind: "role", value: "operations lead", sentence: "I work as operations lead.", file: "profile.md", location: "paragraph 2", origin: "llm", confidence: 0.7 },
    { kind: "location", value: "Rotterdam", sentence: "I'm based in Rotterdam.", file: "profile.md", location: "paragraph 3", origin: "rules", confidence: 0.9 },
  ],
  owner: [],
  style: {
    mean_words_en: 14.2,
    mean_chars_zh: 0,
    formality: 0.4,
    first_person_singular: 0.6,
    first_person_plural: 0.2,
    signature_phrases: ["show me the floor"],
    openings: [],
    closings: [],
    zh_share: 0.1,
    sentences: 42,
  },
  exemplars: [{ text: "Show me the floor, not the slide.", file: "profile.md", location: "paragraph 4" }],
});

/** The persona commands over an in-memory twin whose owner facts replace learned ones. */
function fakeApi(start: PersonaView | null = persona()) {
  let current = start;
  const calls: [string, string[] | null][] = [];
  const api = {
    twinPersona: () => Promise.resolve(current),
    setTwinFacts: (_id: string, kind: string, values: string[] | null) => {
      calls.push([kind, values]);
      if (kind === "team" && values?.includes("\u0007")) {
        return Promise.reject(new AppError({ code: "invalid_input", message: "the fact contains control characters", details: null }));
      }
      if (current) {
        const owner = current.owner.filter((o) => o.kind !== kind);
        if (values !== null) owner.push({ kind, values });
        current = { ...current, owner };
      }
      return Promise.resolve({ facts: {} } as unknown as TwinParams);
    },
  } as unknown as Api;
  return { api, calls };
}

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

async function mount(api: Api) {
  const root = document.createElement("div");
  document.body.append(root);
  await act(() => {
    render(<PersonaPanel api={api} twinId="maya" />, root);
  });
  await settle();
  return root;
}

const row = (root: HTMLElement, kind: string) => root.querySelector<HTMLElement>(`[data-testid=fact-row][data-kind=${kind}]`);

afterEach(() => {
  document.body.innerHTML = "";
});

describe("PersonaPanel", () => {
  it("shows every kind of fact with its source, the style and the exemplars", async () => {
    const root = await mount(fakeApi().api);
    expect([...root.querySelectorAll<HTMLElement>("[data-testid=fact-row]")].map((r) => r.dataset.kind)).toEqual([
      "name",
      "role",
      "team",
      "location",
    ]);
    expect(row(root, "name")?.querySelector("[data-testid=fact-source]")?.textContent).toBe("profile.md · paragraph 1");
    expect(row(root, "role")?.textContent).toContain("checked against the text");
    expect(row(root, "team")?.textContent).toContain("Nothing found");
    expect(root.querySelector("[data-testid=persona-style]")?.textContent).toContain("14.2 words");
    expect(root.querySelector("[data-testid=exemplars]")?.textContent).toContain("Show me the floor");
  });

  it("corrects a fact: the owner's values replace the learned ones", async () => {
    const { api, calls } = fakeApi();
    const root = await mount(api);
    await act(() => row(root, "role")?.querySelector<HTMLButtonElement>("[data-testid=fact-edit]")?.click());
    const input = row(root, "role")?.querySelector<HTMLTextAreaElement>("[data-testid=fact-input]");
    expect(input?.value).toBe("operations lead");
    await act(() => {
      if (!input) return;
      input.value = "Head of dispatch\n\n  Customs lead ";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() => input?.form?.requestSubmit());
    await settle();
    expect(calls).toEqual([["role", ["Head of dispatch", "Customs lead"]]]);
    const role = row(root, "role");
    expect(role?.dataset.owner).toBe("true");
    expect([...(role?.querySelectorAll("[data-testid=fact-value]") ?? [])].map((v) => v.textContent)).toEqual([
      "Head of dispatch",
      "Customs lead",
    ]);
    expect(role?.textContent).toContain("Set by you");
  });

  it("removes a learned fact and brings it back", async () => {
    const { api, calls } = fakeApi();
    const root = await mount(api);
    await act(() => row(root, "location")?.querySelector<HTMLButtonElement>("[data-testid=fact-remove]")?.click());
    await settle();
    expect(row(root, "location")?.textContent).toContain("will not state this");
    await act(() => row(root, "location")?.querySelector<HTMLButtonElement>("[data-testid=fact-reset]")?.click());
    await settle();
    expect(calls).toEqual([
      ["location", []],
      ["location", null],
    ]);
    expect(row(root, "location")?.textContent).toContain("Rotterdam");
  });

  it("shows a refused correction and keeps the facts", async () => {
    const root = await mount(fakeApi().api);
    await act(() => row(root, "team")?.querySelector<HTMLButtonElement>("[data-testid=fact-edit]")?.click());
    const input = row(root, "team")?.querySelector<HTMLTextAreaElement>("[data-testid=fact-input]");
    await act(() => {
      if (!input) return;
      input.value = "\u0007";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() => input?.form?.requestSubmit());
    await settle();
    expect(root.querySelector("[data-testid=persona-error]")?.textContent).toContain("control characters");
    expect(row(root, "name")?.textContent).toContain("Maya Okafor");
  });

  it("asks for a build first when there is no persona yet", async () => {
    const root = await mount(fakeApi(null).api);
    expect(root.querySelector("[data-testid=persona-panel]")?.getAttribute("data-built")).toBe("false");
    expect(root.querySelector("a")?.getAttribute("href")).toBe("#twin/maya/build");
  });
});
