import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Appearance } from "./appearance";
import { DEFAULT_APPEARANCE } from "./appearance";
import { AppearanceEditor } from "./AppearanceEditor";

function mount(value: Appearance = { ...DEFAULT_APPEARANCE }) {
  const root = document.createElement("div");
  document.body.append(root);
  const onChange = vi.fn();
  void act(() => render(<AppearanceEditor value={value} onChange={onChange} name="Maya" />, root));
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  return { root, onChange, q };
}

function fire(el: HTMLInputElement | HTMLSelectElement, type: "input" | "change", value?: string) {
  if (value !== undefined) el.value = value;
  void act(() => {
    el.dispatchEvent(new Event(type, { bubbles: true }));
  });
}

describe("AppearanceEditor", () => {
  beforeEach(() => {
    vi.stubGlobal("requestAnimationFrame", () => 1);
    vi.stubGlobal("cancelAnimationFrame", () => undefined);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("labels every control and shows a preview", () => {
    const { root, q } = mount();
    const controls = [...root.querySelectorAll<HTMLElement>("select, input")];
    expect(controls).toHaveLength(8);
    for (const control of controls) {
      const label = root.querySelector(`label[for="${control.id}"]`);
      expect(label?.textContent, control.id).toBeTruthy();
    }
    expect(q("legend").textContent).toBe("Appearance");
    expect(q("svg[role=img]").getAttribute("aria-label")).toBe("Maya's avatar");
    expect(q<HTMLSelectElement>("[data-testid=appearance-hair_style]").value).toBe(DEFAULT_APPEARANCE.hair_style);
  });

  it("reports each change as a whole, valid appearance", () => {
    const { q, onChange } = mount();
    fire(q("[data-testid=appearance-face_shape]"), "change", "round");
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_APPEARANCE, face_shape: "round" });
    fire(q("[data-testid=appearance-clothing]"), "change", "shirt");
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_APPEARANCE, clothing: "shirt" });
    fire(q("[data-testid=appearance-hair_color]"), "input", "#AA5500");
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_APPEARANCE, hair_color: "#aa5500" });
    const glasses = q<HTMLInputElement>("[data-testid=appearance-glasses]");
    glasses.checked = true;
    fire(glasses, "change");
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_APPEARANCE, glasses: true });
  });

  it("shows the value it is given, and repairs a bad one", () => {
    const { q } = mount({ ...DEFAULT_APPEARANCE, hair_style: "bun", skin_tone: "expression(alert(1))" });
    expect(q<HTMLSelectElement>("[data-testid=appearance-hair_style]").value).toBe("bun");
    expect(q<HTMLInputElement>("[data-testid=appearance-skin_tone]").value).toBe(DEFAULT_APPEARANCE.skin_tone);
  });
});
