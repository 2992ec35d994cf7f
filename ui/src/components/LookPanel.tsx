/**
 * The Look & voice tab: how the twin sounds (tuned by ear), the owner's own
 * 3D avatar (a `.vrm` file), and the drawn avatar's appearance, edited with a
 * live preview and saved with the twin.
 */
import { useState } from "preact/hooks";
import type { TwinDetails } from "../bindings";
import type { Appearance } from "../avatar";
import { AppearanceEditor } from "../avatar";
import { pick } from "../desktop";
import { toReport } from "../errors";
import { t } from "../i18n";
import type { Api } from "../ipc";
import { toAvatar, toStored } from "../look";
import { TwinFace } from "./TwinFace";
import { VoicePanel } from "./VoicePanel";

type Status = { ok: boolean; text: string } | null;

export function LookPanel(props: {
  api: Api;
  twin: TwinDetails;
  /** The twin's VRM model, once loaded. */
  vrm: ArrayBuffer | null;
  onSaved: (twin: TwinDetails) => void;
}) {
  const { api, twin } = props;
  const [look, setLook] = useState<Appearance>(() => toAvatar(twin.params.appearance));
  const [status, setStatus] = useState<Status>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    setStatus(null);
    const params = { ...twin.params, appearance: toStored(look, twin.params.appearance) };
    try {
      const summary = await api.updateTwin(twin.summary.id, params);
      props.onSaved({ summary, params });
      setStatus({ ok: true, text: t("look.saved") });
    } catch (error) {
      setStatus({ ok: false, text: toReport(error).message });
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <VoicePanel api={api} twin={twin} onSaved={props.onSaved} />
      <VrmSection {...props} />
      <section class="panel" data-testid="look-panel">
        <h2>{t("look.title")}</h2>
        <p class="muted">{t("look.lead")}</p>
        <AppearanceEditor value={look} onChange={setLook} name={twin.summary.name} />
        <div class="look-actions">
          <button type="button" class="button primary" onClick={() => void save()} disabled={saving} data-testid="save-look">
            {t("look.save")}
          </button>
          {status && (
            <span class={status.ok ? "notice" : "field-error"} role="status" data-testid="look-status">
              {status.text}
            </span>
          )}
        </div>
      </section>
    </>
  );
}

/** Choosing, previewing and dropping the owner's own VRM avatar. */
function VrmSection({ api, twin, vrm, onSaved }: Parameters<typeof LookPanel>[0]) {
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const chosen = twin.params.appearance.vrm;
  const change = async (work: () => Promise<TwinDetails["params"]>, done: string) => {
    setBusy(true);
    setStatus(null);
    try {
      const params = await work();
      onSaved({ summary: twin.summary, params });
      setStatus({ ok: true, text: done });
      setPath("");
    } catch (error) {
      setStatus({ ok: false, text: toReport(error).message });
    } finally {
      setBusy(false);
    }
  };
  const use = (file: string) => change(() => api.setAvatar(twin.summary.id, file), t("look.vrm.set"));
  return (
    <section class="panel" data-testid="vrm-panel" data-chosen={String(Boolean(chosen))}>
      <h2>{t("look.vrm.title")}</h2>
      <p class="muted">{t(chosen ? "look.vrm.using" : "look.vrm.lead")}</p>
      {chosen && (
        <div class="vrm-preview">
          {vrm ? (
            <TwinFace vrm={vrm} appearance={toAvatar(twin.params.appearance)} emotion="happy" name={twin.summary.name} />
          ) : (
            <p class="muted">{t("look.vrm.loading")}</p>
          )}
        </div>
      )}
      <form
        class="build-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void use(path);
        }}
      >
        <label class="field">
          <span>{t("look.vrm.path")}</span>
          <input
            id="vrm-path"
            type="text"
            value={path}
            placeholder="/home/maya/avatar.vrm"
            disabled={busy}
            onInput={(e) => setPath(e.currentTarget.value)}
            spellcheck={false}
            autoComplete="off"
          />
        </label>
        <button
          type="button"
          class="button secondary"
          disabled={busy}
          onClick={() => void pick("avatar", t("look.vrm.choose")).then((p) => (p[0] ? use(p[0]) : undefined))}
        >
          {t("look.vrm.choose")}
        </button>
        <button type="submit" class="button primary" disabled={busy || !path.trim()} data-testid="use-vrm">
          {t("look.vrm.use")}
        </button>
        {chosen && (
          <button
            type="button"
            class="button secondary"
            disabled={busy}
            onClick={() => void change(() => api.removeAvatar(twin.summary.id), t("look.vrm.removed"))}
            data-testid="remove-vrm"
          >
            {t("look.vrm.remove")}
          </button>
        )}
      </form>
      {status && (
        <p class={status.ok ? "notice" : "field-error"} role="status" data-testid="vrm-status">
          {status.text}
        </p>
      )}
    </section>
  );
}
