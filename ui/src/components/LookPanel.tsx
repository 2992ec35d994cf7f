/** The Look tab: the avatar's appearance, edited with a live preview and saved with the twin. */
import { useState } from "preact/hooks";
import type { TwinDetails } from "../bindings";
import type { Appearance } from "../avatar";
import { AppearanceEditor } from "../avatar";
import { toReport } from "../errors";
import { t } from "../i18n";
import type { Api } from "../ipc";
import { toAvatar, toStored } from "../look";

export function LookPanel(props: { api: Api; twin: TwinDetails; onSaved: (twin: TwinDetails) => void }) {
  const { api, twin } = props;
  const [look, setLook] = useState<Appearance>(() => toAvatar(twin.params.appearance));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
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
  );
}
