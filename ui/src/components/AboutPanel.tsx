/**
 * The twin's settings on the Create tab: who it is (name, role, greeting),
 * how it talks (formal or casual, brief or detailed), in which languages,
 * and what it politely declines. The engine validates; its message is shown.
 */
import { useEffect, useState } from "preact/hooks";
import type { TwinDetails, TwinParams } from "../bindings";
import { toReport } from "../errors";
import { t } from "../i18n";
import type { Api } from "../ipc";

const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "zh", label: "中文" },
] as const;

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

export function AboutPanel(props: { api: Api; twin: TwinDetails; onSaved: (twin: TwinDetails) => void }) {
  const { api, twin } = props;
  const [draft, setDraft] = useState<TwinParams>(twin.params);
  const [topics, setTopics] = useState(twin.params.decline_topics.join("\n"));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (change: Partial<TwinParams>) => setDraft((d) => ({ ...d, ...change }));
  // Settings changed elsewhere (an imported twin.toml, another tab) show here.
  const stored = twin.params;
  useEffect(() => {
    setDraft(stored);
    setTopics(stored.decline_topics.join("\n"));
  }, [stored.name, stored.role, stored.greeting, stored.tone, stored.languages, stored.decline_topics]);
  const save = async () => {
    setSaving(true);
    setStatus(null);
    // Only this form's fields: the rest (look, voice, facts) is taken as it is now.
    const { name, role, greeting, tone, languages } = draft;
    const params = { ...twin.params, name, role, greeting, tone, languages, decline_topics: lines(topics) };
    try {
      const summary = await api.updateTwin(twin.summary.id, params);
      props.onSaved({ summary, params });
      setStatus({ ok: true, text: t("about.saved") });
    } catch (error) {
      setStatus({ ok: false, text: toReport(error).message });
    } finally {
      setSaving(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="about-title" data-testid="about-panel">
      <h2 id="about-title">{t("about.title")}</h2>
      <p class="muted">{t("about.lead")}</p>
      <form
        class="about-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div class="field">
          <label for="about-name">{t("dialog.name")}</label>
          <input id="about-name" type="text" value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="about-role">{t("dialog.role")}</label>
          <input id="about-role" type="text" value={draft.role} onInput={(e) => set({ role: e.currentTarget.value })} />
        </div>
        <div class="field wide">
          <label for="about-greeting">{t("about.greeting")}</label>
          <textarea
            id="about-greeting"
            rows={2}
            value={draft.greeting}
            placeholder={t("about.greetingHint")}
            onInput={(e) => set({ greeting: e.currentTarget.value })}
          />
        </div>
        <Tone
          id="about-casual"
          label={t("about.tone")}
          left={t("about.formal")}
          right={t("about.casual")}
          value={draft.tone.casual}
          onChange={(casual) => set({ tone: { ...draft.tone, casual } })}
        />
        <Tone
          id="about-detailed"
          label={t("about.length")}
          left={t("about.brief")}
          right={t("about.detailed")}
          value={draft.tone.detailed}
          onChange={(detailed) => set({ tone: { ...draft.tone, detailed } })}
        />
        <fieldset class="field">
          <legend>{t("about.languages")}</legend>
          {LANGUAGES.map((l) => (
            <label key={l.code} class="check">
              <input
                type="checkbox"
                checked={draft.languages.includes(l.code)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  set({ languages: on ? [...draft.languages, l.code] : draft.languages.filter((x) => x !== l.code) });
                }}
                data-testid={`about-lang-${l.code}`}
              />
              {l.label}
            </label>
          ))}
        </fieldset>
        <div class="field wide">
          <label for="about-topics">{t("about.decline")}</label>
          <textarea
            id="about-topics"
            rows={3}
            value={topics}
            placeholder={t("about.declineHint")}
            onInput={(e) => setTopics(e.currentTarget.value)}
          />
        </div>
        <div class="look-actions wide">
          <button type="submit" class="button primary" disabled={saving} data-testid="about-save">
            {t("about.save")}
          </button>
          {status && (
            <span class={status.ok ? "notice" : "field-error"} role="status" data-testid="about-status">
              {status.text}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

function Tone(props: { id: string; label: string; left: string; right: string; value: number; onChange: (v: number) => void }) {
  return (
    <div class="field slider">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={props.value}
        aria-valuetext={`${Math.round(props.value * 100)} % ${props.right}`}
        onInput={(e) => props.onChange(Number(e.currentTarget.value))}
        data-testid={props.id}
      />
      <div class="slider-ends">
        <span>{props.left}</span>
        <span>{props.right}</span>
      </div>
    </div>
  );
}
