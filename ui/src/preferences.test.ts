import { afterEach, describe, expect, it } from "vitest";
import type { Preferences } from "./bindings";
import { AppError } from "./errors";
import { locale } from "./i18n";
import type { Api } from "./ipc";
import { AppPreferences } from "./preferences";

function fakeApi(stored: Preferences, refuse = false) {
  const saved: Preferences[] = [];
  const api = {
    appPreferences: () => Promise.resolve(stored),
    setAppPreferences: (p: Preferences) => {
      if (refuse) return Promise.reject(new AppError({ code: "invalid_input", message: "the microphone contains control characters", details: null }));
      saved.push(p);
      return Promise.resolve(p);
    },
  } as unknown as Api;
  return { api, saved };
}

afterEach(() => locale.set("en"));

describe("AppPreferences", () => {
  it("applies the stored language on load and saves changes", async () => {
    const { api, saved } = fakeApi({ language: "zh", microphone: null, speaker: null });
    const prefs = new AppPreferences(api);
    await prefs.load();
    expect(locale.get()).toBe("zh");
    await prefs.setLanguage("en");
    await prefs.setMicrophone("USB Audio");
    await prefs.setSpeaker(null);
    expect(locale.get()).toBe("en");
    expect(saved.at(-1)).toEqual({ language: "en", microphone: "USB Audio", speaker: null });
    expect(prefs.state.get().saving).toBe(false);
  });

  it("puts back what was stored when a save is refused", async () => {
    const { api } = fakeApi({ language: "en", microphone: "Built-in", speaker: null }, true);
    const prefs = new AppPreferences(api);
    await prefs.load();
    await prefs.setMicrophone("bad\u0007name");
    const s = prefs.state.get();
    expect(s.value.microphone).toBe("Built-in");
    expect(s.error?.message).toContain("control characters");
  });
});
