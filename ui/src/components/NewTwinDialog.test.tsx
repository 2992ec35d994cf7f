import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TwinSummary } from "../bindings";
import { AppError } from "../errors";
import { NewTwinDialog } from "./NewTwinDialog";

const created: TwinSummary = {
  id: "maya",
  name: "Maya",
  role: "",
  created_at: "2026-11-28T10:00:00Z",
  updated_at: "2026-11-28T10:00:00Z",
  score: null,
};

function mount(create: (name: string, role: string) => Promise<TwinSummary>) {
  const root = document.createElement("div");
  document.body.append(root);
  const onCancel = vi.fn();
  const onCreated = vi.fn();
  void act(() => render(<NewTwinDialog create={create} onCancel={onCancel} onCreated={onCreated} />, root));
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  return { root, onCancel, onCreated, q };
}

function type(input: HTMLInputElement | null, value: string) {
  if (!input) throw new Error("no input");
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

describe("NewTwinDialog", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("focuses the name, labels its fields and closes on Escape", () => {
    const { q, onCancel } = mount(() => Promise.resolve(created));
    const name = q<HTMLInputElement>("#new-twin-name");
    expect(document.activeElement).toBe(name);
    expect(q("label[for=new-twin-name]")?.textContent).toContain("Name");
    expect(q("[role=dialog]")?.getAttribute("aria-modal")).toBe("true");
    void act(() => {
      name?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    });
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it("shows the engine's validation message under the field it names", async () => {
    const create = vi.fn(() => Promise.reject(new AppError({ code: "invalid_input", message: "the name is empty", details: null })));
    const { q, onCreated } = mount(create);
    void act(() => {
      q<HTMLFormElement>("form")?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    });
    await settle();
    const error = q("#new-twin-name-error");
    expect(error?.textContent).toBe("The name is empty.");
    expect(q("#new-twin-name")?.getAttribute("aria-invalid")).toBe("true");
    expect(q("#new-twin-name")?.getAttribute("aria-describedby")).toBe("new-twin-name-error");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("shows other errors above the buttons and submits the typed values", async () => {
    let calls = 0;
    const create = vi.fn((name: string, role: string) => {
      calls += 1;
      return calls === 1
        ? Promise.reject(new AppError({ code: "database", message: "database query failed", details: null }))
        : Promise.resolve({ ...created, name, role });
    });
    const { q, onCreated } = mount(create);
    type(q("#new-twin-name"), "Maya");
    type(q("#new-twin-role"), "Advisor");
    const submit = () =>
      void act(() => {
        q<HTMLFormElement>("form")?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      });
    submit();
    await settle();
    expect(q("[data-testid=form-error]")?.textContent).toBe("Database query failed.");
    submit();
    await settle();
    expect(create).toHaveBeenLastCalledWith("Maya", "Advisor");
    expect(onCreated).toHaveBeenCalledWith({ ...created, name: "Maya", role: "Advisor" });
  });
});
