/**
 * The Persona tab: what the twin learned about its owner, each self-fact
 * with the sentence and place it came from, the style and the example
 * sentences; the owner corrects any kind of fact (their word replaces what
 * was learned in every answer) or sends it back to what was learned.
 */
import { useEffect, useState } from "preact/hooks";
import type { FactView, PersonaView, TwinParams } from "../bindings";
import { toReport } from "../errors";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";
import type { Api } from "../ipc";
import { routeHash } from "../route";

type Load = { phase: "loading" } | { phase: "ready"; persona: PersonaView | null } | { phase: "failed"; message: string };

export function PersonaPanel(props: { api: Api; twinId: string; onSaved?: (params: TwinParams) => void }) {
  const { api, twinId } = props;
  const [load, setLoad] = useState<Load>({ phase: "loading" });
  const [error, setError] = useState<string | null>(null);
  const reload = () =>
    api.twinPersona(twinId).then(
      (persona) => setLoad({ phase: "ready", persona }),
      (e: unknown) => setLoad({ phase: "failed", message: toReport(e).message }),
    );
  useEffect(() => {
    void reload();
  }, [api, twinId]);

  const setFacts = async (kind: string, values: string[] | null) => {
    setError(null);
    try {
      const params = await api.setTwinFacts(twinId, kind, values);
      props.onSaved?.(params);
      await reload();
    } catch (e) {
      setError(toReport(e).message);
    }
  };

  if (load.phase === "loading") return <p class="loading">{t("persona.loading")}</p>;
  if (load.phase === "failed") {
    return (
      <div class="banner" role="alert">
        {load.message}
      </div>
    );
  }
  const persona = load.persona;
  if (!persona) {
    return (
      <section class="panel" data-testid="persona-panel" data-built="false">
        <h2>{t("persona.title")}</h2>
        <p class="muted">{t("persona.notBuilt")}</p>
        <a class="button primary" href={routeHash({ screen: "twin", id: twinId, tab: "build" })}>
          {t("persona.goBuild")}
        </a>
      </section>
    );
  }
  return (
    <div data-testid="persona-panel" data-built="true">
      <section class="panel">
        <h2>{t("persona.facts")}</h2>
        <p class="muted">{t("persona.factsLead")}</p>
        {error && (
          <div class="banner" role="alert" data-testid="persona-error">
            {error}
          </div>
        )}
        <ul class="fact-list">
          {persona.kinds.map((kind) => (
            <FactRow
              key={kind}
              kind={kind}
              learned={persona.learned.filter((f) => f.kind === kind)}
              owner={persona.owner.find((o) => o.kind === kind)?.values ?? null}
              onSave={(values) => setFacts(kind, values)}
            />
          ))}
        </ul>
      </section>
      <StyleSection persona={persona} />
    </div>
  );
}

function FactRow(props: {
  kind: string;
  learned: FactView[];
  owner: string[] | null;
  onSave: (values: string[] | null) => Promise<void>;
}) {
  const { kind, learned, owner } = props;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const label = t(`persona.kind.${kind}` as MessageKey);
  const save = async (values: string[] | null) => {
    setBusy(true);
    await props.onSave(values);
    setBusy(false);
    setEditing(false);
  };
  const shown = owner ?? learned.map((f) => f.value);
  return (
    <li class="fact-row" data-testid="fact-row" data-kind={kind} data-owner={String(owner !== null)}>
      <div class="fact-kind">{label}</div>
      <div class="fact-values">
        {editing ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save(text.split("\n").map((v) => v.trim()).filter(Boolean));
            }}
          >
            <label class="sr-only" for={`fact-${kind}`}>
              {t("persona.editLabel", { kind: label })}
            </label>
            <textarea
              id={`fact-${kind}`}
              rows={Math.max(2, shown.length + 1)}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
              data-testid="fact-input"
            />
            <p class="field-hint">{t("persona.editHint")}</p>
            <div class="fact-actions">
              <button type="submit" class="button primary small" disabled={busy} data-testid="fact-save">
                {t("persona.save")}
              </button>
              <button type="button" class="button secondary small" onClick={() => setEditing(false)} disabled={busy}>
                {t("persona.cancel")}
              </button>
            </div>
          </form>
        ) : owner !== null ? (
          <>
            {owner.length === 0 ? (
              <span class="muted">{t("persona.removed")}</span>
            ) : (
              owner.map((v) => (
                <div key={v} class="fact-value" data-testid="fact-value">
                  {v}
                </div>
              ))
            )}
            <span class="chip chip-owner">{t("persona.setByYou")}</span>
          </>
        ) : learned.length === 0 ? (
          <span class="muted">{t("persona.nothingLearned")}</span>
        ) : (
          learned.map((f) => (
            <div key={`${f.value}|${f.file}|${f.location}`} class="fact-value" data-testid="fact-value" title={f.sentence}>
              {f.value}
              <span class="fact-source" data-testid="fact-source">
                {[f.file, f.location].filter(Boolean).join(" · ")}
                {f.origin === "llm" && ` · ${t("persona.checkedByModel")}`}
              </span>
              {f.sentence && <q class="fact-sentence">{f.sentence}</q>}
            </div>
          ))
        )}
      </div>
      {!editing && (
        <div class="fact-actions">
          <button
            type="button"
            class="button secondary small"
            onClick={() => {
              setText(shown.join("\n"));
              setEditing(true);
            }}
            aria-label={t("persona.editLabel", { kind: label })}
            data-testid="fact-edit"
          >
            {t("persona.edit")}
          </button>
          {owner !== null ? (
            <button type="button" class="button secondary small" disabled={busy} onClick={() => void save(null)} data-testid="fact-reset">
              {t("persona.useLearned")}
            </button>
          ) : (
            learned.length > 0 && (
              <button type="button" class="button secondary small" disabled={busy} onClick={() => void save([])} data-testid="fact-remove">
                {t("persona.remove")}
              </button>
            )
          )}
        </div>
      )}
    </li>
  );
}

function percent(x: number): string {
  return `${Math.round(Math.min(1, Math.max(0, x)) * 100)} %`;
}

function StyleSection({ persona }: { persona: PersonaView }) {
  const s = persona.style;
  return (
    <section class="panel" data-testid="persona-style">
      <h2>{t("persona.style")}</h2>
      <p class="muted">{t("persona.styleLead", { sentences: s.sentences })}</p>
      <dl class="style-facts">
        {s.mean_words_en > 0 && (
          <>
            <dt>{t("persona.sentenceLength")}</dt>
            <dd>{t("persona.words", { count: s.mean_words_en.toFixed(1) })}</dd>
          </>
        )}
        {s.mean_chars_zh > 0 && (
          <>
            <dt>{t("persona.sentenceLengthZh")}</dt>
            <dd>{t("persona.chars", { count: s.mean_chars_zh.toFixed(1) })}</dd>
          </>
        )}
        <dt>{t("persona.formality")}</dt>
        <dd>
          <meter min={0} max={1} value={s.formality} aria-label={t("persona.formality")} /> {t(s.formality >= 0.5 ? "persona.formal" : "persona.casual")}
        </dd>
        <dt>{t("persona.firstPerson")}</dt>
        <dd>{t("persona.firstPersonValue", { singular: percent(s.first_person_singular), plural: percent(s.first_person_plural) })}</dd>
        <dt>{t("persona.chinese")}</dt>
        <dd>{percent(s.zh_share)}</dd>
      </dl>
      {s.signature_phrases.length > 0 && (
        <>
          <h3>{t("persona.phrases")}</h3>
          <ul class="chips">
            {s.signature_phrases.map((p) => (
              <li key={p} class="chip">
                {p}
              </li>
            ))}
          </ul>
        </>
      )}
      {persona.exemplars.length > 0 && (
        <>
          <h3>{t("persona.exemplars")}</h3>
          <ul class="exemplars" data-testid="exemplars">
            {persona.exemplars.map((e) => (
              <li key={e.text}>
                <blockquote>{e.text}</blockquote>
                <span class="fact-source">{[e.file, e.location].filter(Boolean).join(" · ")}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
