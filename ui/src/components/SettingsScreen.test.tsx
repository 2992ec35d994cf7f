import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { DevicesView, Preferences } from "../bindings";
import type { Api } from "../ipc";
import { locale } from "../i18n";
import { AppPreferences } from "../preferences";
import { SettingsScreen } from "./SettingsScreen";

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

async function mount(devices: DevicesView, stored: Preferences) {
  const saved: Preferences[] = [];
  const api = {
    audioDevices: () => Promise.resolve(devices),
    appPreferences: () => Promise.resolve(stored),
    setAppPreferences: (p: Preferences) => {
      saved.push(p);
      return Promise.resolve(p);
    },
  } as unknown as Api;
  const prefs = new AppPreferences(api);
  await prefs.load();
  const root = document.createElement("div");
  document.body.append(root);
  await act(() => {
    render(<SettingsScreen api={api} preferences={prefs} />, root);
  });
  await settle();
  return { root, saved };
}

afterEach(() => {
  document.body.innerHTML = "";
  locale.set("en");
});

describe("SettingsScreen", () => {
  it("lists the devices, marks the default and saves a choice", async () => {
    const devices = {
      inputs: [
        { name: "Built-in Microphone", is_default: true },
        { name: "USB Headset", is_default: false },
      ],
      outputs: [{ name: "Speakers", is_default: true }],
    };
    const { root, saved } = await mount(devices, { language: null, microphone: null, speaker: null });
    const mic = root.querySelector<HTMLSelectElement>("[data-testid=settings-microphone]");
    expect([...(mic?.options ?? [])].map((o) => o.textContent)).toEqual([
      "System default",
      "Built-in Microphone (default)",
      "USB Headset",
    ]);
    await act(() => {
      if (!mic) return;
      mic.value = "USB Headset";
      mic.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await settle();
    expect(saved.at(-1)?.microphone).toBe("USB Headset");
  });

  it("says so when the computer has no sound devices, and keeps a stored one visible", async () => {
    const { root } = await mount({ inputs: [], outputs: [] }, { language: null, microphone: "USB Headset", speaker: null });
    expect(root.querySelector("[data-testid=settings-microphone-none]")?.textContent).toContain("No microphone");
    expect(root.querySelector("[data-testid=settings-speaker-none]")?.textContent).toContain("No speaker");
    const mic = root.querySelector<HTMLSelectElement>("[data-testid=settings-microphone]");
    expect(mic?.value).toBe("USB Headset");
    expect(mic?.textContent).toContain("USB Headset (not connected)");
  });

  it("switches the language and saves it", async () => {
    const { root, saved } = await mount({ inputs: [], outputs: [] }, { language: null, microphone: null, speaker: null });
    const select = root.querySelector<HTMLSelectElement>("[data-testid=settings-language]");
    await act(() => {
      if (!select) return;
      select.value = "zh";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await settle();
    expect(locale.get()).toBe("zh");
    expect(saved.at(-1)?.language).toBe("zh");
    expect(root.textContent).toContain("扬声器");
  });
});
