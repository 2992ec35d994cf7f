/**
 * The Models screen: every model with what it is for, its size, its licence
 * and whether its files are intact; Verify hashes every file.
 */
import { useEffect, useState } from "preact/hooks";
import type { ErrorReport, ModelView } from "../bindings";
import { toReport } from "../errors";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";
import type { Api } from "../ipc";
import { formatBytes } from "../format";
import { pick } from "../desktop";

export function ModelsScreen({ api }: { api: Api }) {
  const [models, setModels] = useState<ModelView[] | null>(null);
  const [error, setError] = useState<ErrorReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState(false);
  const load = (verify: boolean) => {
    setError(null);
    if (verify) setVerifying(true);
    api
      .listModels(verify)
      .then((m) => {
        setModels(m);
        setVerified(verify);
      })
      .catch((e: unknown) => setError(toReport(e)))
      .finally(() => setVerifying(false));
  };
  useEffect(() => load(false), [api]);
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<string | null>(null);
  const importFile = async (path: string) => {
    if (!path) return;
    setImporting(true);
    setError(null);
    setImported(null);
    try {
      setModels(await api.importModel(path));
      setImported(path.split(/[\\/]/).pop() ?? path);
    } catch (e) {
      setError(toReport(e));
    } finally {
      setImporting(false);
    }
  };
  const broken = models?.some((m) => !m.ok) ?? false;
  return (
    <main class="main" aria-labelledby="models-title" data-testid="models-screen">
      <header class="page-head">
        <div>
          <h1 id="models-title">{t("models.title")}</h1>
          <p class="page-subtitle">{t("models.subtitle")}</p>
        </div>
        <div class="panel-actions">
          <button
            type="button"
            class="button secondary"
            disabled={importing}
            onClick={() => void pick("model", t("models.import")).then((p) => importFile(p[0] ?? ""))}
            data-testid="import-model"
          >
            {t(importing ? "models.importing" : "models.import")}
          </button>
          <button type="button" class="button secondary" onClick={() => load(true)} disabled={verifying} data-testid="verify-models">
            {t(verifying ? "models.verifying" : "models.verify")}
          </button>
        </div>
      </header>
      {imported && (
        <p class="notice" role="status" data-testid="model-imported">
          {t("models.importedFile", { file: imported })}
        </p>
      )}
      {error && (
        <div class="banner" role="alert">
          {error.message}
        </div>
      )}
      {models && broken && <p class="banner" role="alert">{t("models.fix")}</p>}
      {models && !broken && verified && (
        <p class="notice" role="status" data-testid="models-verified">
          {t("models.verified")}
        </p>
      )}
      {models && (
        <div class="panel table-wrap">
          <table class="models">
            <thead>
              <tr>
                <th scope="col">{t("models.col.name")}</th>
                <th scope="col">{t("models.col.role")}</th>
                <th scope="col" class="num">{t("models.col.size")}</th>
                <th scope="col">{t("models.col.license")}</th>
                <th scope="col">{t("models.col.state")}</th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => {
                const s = m.state;
                return (
                  <tr key={m.id} data-testid="model-row" data-model-id={m.id} data-state={s}>
                    <td>
                      <div class="model-name">{m.name}</div>
                      <div class="model-id">
                        {m.id}
                        {m.user && ` · ${t("models.imported")}`}
                      </div>
                    </td>
                    <td>{t(`role.${m.role}` as MessageKey)}</td>
                    <td class="num">{formatBytes(m.bytes)}</td>
                    <td class="license">{m.license}</td>
                    <td>
                      <span class={`chip chip-${s === "installed" ? "good" : "low"}`} title={m.problems.join("\n")}>
                        {t(`models.${s}` as MessageKey)}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
