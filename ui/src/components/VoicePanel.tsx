/**
 * The twin's voice, tuned by ear: speed, pitch and liveliness on top of
 * what the build learned from the owner's samples, with a preview that
 * speaks a sentence in the voice as set (before it is saved).
 */
import { useState } from "preact/hooks";
import type { TwinDetails, VoiceTuning } from "../bindings";
import { toReport } from "../errors";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";
import type { Api } from "../ipc";

interface Slider {
  key: keyof VoiceTuning;
  min: number;
  max: number;
  step: number;
  format: (v: number) => string;
}

const SLIDERS: readonly Slider[] = [
  { key: "speed", min: 0.5, max: 2, step: 0.05, format: (v) => `${v.toFixed(2)}×` },
  { key: "pitch_semitones", min: -6, max: 6, step: 0.5, format: (v) => `${v > 0 ? "+" : ""}${v.toFixed(1)}` },
  { key: "liveliness", min: 0, max: 2, step: 0.05, format: (v) => `${Math.round(v * 100)} %` },
];

export const DEFAULT_VOICE: VoiceTuning = { speed: 1, pitch_semitones: 0, liveliness: 1 };

export function VoicePanel(props: { api: Api; twin: TwinDetails; onSaved: (twin: TwinDetails) => void }) {
  const { api, twin } = props;
  const [voice, setVoice] = useState<VoiceTuning>(twin.params.voice);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<"saving" | "previewing" | null>(null);
  const changed = SLIDERS.some((s) => voice[s.key] !== twin.params.voice[s.key]);

  // The preview speaks in the voice as set: the settings are saved first, then restored if not kept.
  const save = async (next: VoiceTuning, message: MessageKey | null) => {
    const params = { ...twin.params, voice: next };
    const summary = await api.updateTwin(twin.summary.id, params);
    props.onSaved({ summary, params });
    if (message) setStatus({ ok: true, text: t(message) });
  };
  const run = async (what: "saving" | "previewing", work: () => Promise<void>) => {
    setBusy(what);
    setStatus(null);
    try {
      await work();
    } catch (error) {
      setStatus({ ok: false, text: toReport(error).message });
    } finally {
      setBusy(null);
    }
  };
  const preview = () =>
    run("previewing", async () => {
      await save(voice, null);
      const sample = twin.params.greeting.trim() || t("voice.sample", { name: twin.summary.name });
      await api.speakReply(twin.summary.id, sample, false, () => undefined);
      await api.endReply();
      setStatus({ ok: true, text: t("voice.previewed") });
    });

  return (
    <section class="panel" data-testid="voice-panel">
      <h2>{t("voice.title")}</h2>
      <p class="muted">{t("voice.lead")}</p>
      <div class="voice-sliders">
        {SLIDERS.map((s) => (
          <label key={s.key} class="field slider">
            <span>
              {t(`voice.${s.key}` as MessageKey)} <output>{s.format(voice[s.key])}</output>
            </span>
            <input
              type="range"
              min={s.min}
              max={s.max}
              step={s.step}
              value={voice[s.key]}
              onInput={(e) => {
                const value = Number(e.currentTarget.value);
                setVoice((v) => ({ ...v, [s.key]: value }));
              }}
              data-testid={`voice-${s.key}`}
            />
          </label>
        ))}
      </div>
      <div class="look-actions">
        <button type="button" class="button secondary" disabled={busy !== null} onClick={() => void preview()} data-testid="voice-preview">
          {busy === "previewing" ? t("voice.previewing") : t("voice.preview")}
        </button>
        <button
          type="button"
          class="button primary"
          disabled={busy !== null || !changed}
          onClick={() => void run("saving", () => save(voice, "voice.saved"))}
          data-testid="voice-save"
        >
          {t("voice.save")}
        </button>
        <button
          type="button"
          class="button secondary"
          disabled={busy !== null}
          onClick={() => {
            setVoice(DEFAULT_VOICE);
            void run("saving", () => save(DEFAULT_VOICE, "voice.reset"));
          }}
        >
          {t("voice.resetButton")}
        </button>
        {status && (
          <span class={status.ok ? "notice" : "field-error"} role="status" data-testid="voice-status">
            {status.text}
          </span>
        )}
      </div>
    </section>
  );
}
