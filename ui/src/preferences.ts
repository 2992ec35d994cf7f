/**
 * The app-wide choices of the Settings screen (language, microphone,
 * speaker), kept by the Rust side across restarts.
 *
 * Invariants: the UI language follows the stored choice once loaded (the
 * system's language until then); a change shows at once and is then saved;
 * a failed save puts back what was stored and says why.
 */
import type { ErrorReport, Preferences } from "./bindings";
import { toReport } from "./errors";
import type { Locale } from "./i18n";
import { locale } from "./i18n";
import type { Api } from "./ipc";
import { Store } from "./store";

export interface PreferencesState {
  loaded: boolean;
  value: Preferences;
  saving: boolean;
  error: ErrorReport | null;
}

const NONE: Preferences = { language: null, microphone: null, speaker: null };

export class AppPreferences {
  readonly state = new Store<PreferencesState>({ loaded: false, value: NONE, saving: false, error: null });
  readonly #api: Api;

  constructor(api: Api) {
    this.#api = api;
  }

  async load(): Promise<void> {
    try {
      const value = await this.#api.appPreferences();
      this.state.set({ ...this.state.get(), loaded: true, value });
      if (value.language === "en" || value.language === "zh") locale.set(value.language);
    } catch (error) {
      this.state.set({ ...this.state.get(), loaded: true, error: toReport(error) });
    }
  }

  setLanguage(language: Locale): Promise<void> {
    locale.set(language);
    return this.save({ ...this.state.get().value, language });
  }

  setMicrophone(name: string | null): Promise<void> {
    return this.save({ ...this.state.get().value, microphone: name });
  }

  setSpeaker(name: string | null): Promise<void> {
    return this.save({ ...this.state.get().value, speaker: name });
  }

  async save(next: Preferences): Promise<void> {
    const before = this.state.get().value;
    this.state.set({ ...this.state.get(), value: next, saving: true, error: null });
    try {
      const stored = await this.#api.setAppPreferences(next);
      this.state.set({ ...this.state.get(), value: stored, saving: false });
    } catch (error) {
      this.state.set({ ...this.state.get(), value: before, saving: false, error: toReport(error) });
      if (before.language === "en" || before.language === "zh") locale.set(before.language);
    }
  }
}
