/**
 * Settings: the UI language and the microphone and speaker Alter uses
 * (listed from the system each time the screen opens). A twin's own voice
 * is tuned on its Look & voice tab.
 */
import { useEffect, useState } from "preact/hooks";
import type { DeviceView, DevicesView } from "../bindings";
import type { Locale } from "../i18n";
import { locale, t } from "../i18n";
import type { Api } from "../ipc";
import type { AppPreferences } from "../preferences";
import { useStore } from "../store";

function DeviceChoice(props: {
  id: string;
  label: string;
  devices: DeviceView[] | null;
  chosen: string | null;
  none: string;
  onChoose: (name: string | null) => void;
}) {
  const { devices, chosen } = props;
  // A stored device that is not connected now stays listed, marked, so the choice is visible.
  const missing = chosen !== null && devices !== null && !devices.some((d) => d.name === chosen);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={chosen ?? ""}
        disabled={devices === null}
        onChange={(e) => props.onChoose(e.currentTarget.value === "" ? null : e.currentTarget.value)}
        data-testid={props.id}
      >
        <option value="">{t("settings.systemDefault")}</option>
        {devices?.map((d) => (
          <option key={d.name} value={d.name}>
            {d.is_default ? `${d.name} (${t("settings.default")})` : d.name}
          </option>
        ))}
        {missing && <option value={chosen}>{t("settings.notConnected", { name: chosen })}</option>}
      </select>
      {devices !== null && devices.length === 0 && (
        <p class="field-hint" data-testid={`${props.id}-none`}>
          {props.none}
        </p>
      )}
    </div>
  );
}

export function SettingsScreen({ api, preferences }: { api: Api; preferences: AppPreferences }) {
  const state = useStore(preferences.state);
  const lang = useStore(locale);
  const [devices, setDevices] = useState<DevicesView | null>(null);
  useEffect(() => {
    void api.audioDevices().then(setDevices, () => setDevices({ inputs: [], outputs: [] }));
  }, [api]);
  return (
    <main class="main" aria-labelledby="settings-title" data-testid="settings">
      <header class="page-head">
        <div>
          <h1 id="settings-title">{t("settings.title")}</h1>
          <p class="page-subtitle">{t("settings.subtitle")}</p>
        </div>
      </header>
      <section class="panel">
        <h2>{t("settings.language")}</h2>
        <div class="field">
          <label for="settings-language">{t("settings.languageLabel")}</label>
          <select
            id="settings-language"
            value={lang}
            onChange={(e) => void preferences.setLanguage(e.currentTarget.value as Locale)}
            data-testid="settings-language"
          >
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </div>
      </section>
      <section class="panel">
        <h2>{t("settings.audio")}</h2>
        <p class="muted">{t("settings.audioLead")}</p>
        <DeviceChoice
          id="settings-microphone"
          label={t("settings.microphone")}
          devices={devices?.inputs ?? null}
          chosen={state.value.microphone}
          none={t("settings.noMicrophone")}
          onChoose={(name) => void preferences.setMicrophone(name)}
        />
        <DeviceChoice
          id="settings-speaker"
          label={t("settings.speaker")}
          devices={devices?.outputs ?? null}
          chosen={state.value.speaker}
          none={t("settings.noSpeaker")}
          onChoose={(name) => void preferences.setSpeaker(name)}
        />
      </section>
      <p class="muted">{t("settings.voiceHint")}</p>
      <div aria-live="polite">
        {state.saving && <p class="muted">{t("settings.saving")}</p>}
        {state.error && (
          <div class="banner" role="alert" data-testid="settings-error">
            {state.error.message}
          </div>
        )}
      </div>
    </main>
  );
}
