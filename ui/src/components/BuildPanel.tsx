/**
 * The Build tab: learning from the twin's materials (added on the Create
 * tab), a bar per stage with ETA and cancel, per-file errors, then the
 * report card.
 */
import type { BuildSession, StageView } from "../buildSession";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";
import { useStore } from "../store";
import { ReportCard } from "./ReportCard";

function StageBar({ stage }: { stage: StageView }) {
  const label = t(`build.stage.${stage.name}` as MessageKey);
  const percent = Math.round(stage.fraction * 100);
  return (
    <li class={`stage${stage.done ? " stage-done" : ""}`} data-testid={`stage-${stage.name}`} data-done={String(stage.done)}>
      <div class="stage-head">
        <span class="stage-name">{label}</span>
        <span class="stage-meta">
          {stage.etaSeconds !== null && !stage.done && t("build.eta", { seconds: Math.ceil(stage.etaSeconds) })}{" "}
          {percent} %
        </span>
      </div>
      <progress max={100} value={percent} aria-label={label} />
      {stage.item && !stage.done && <div class="stage-item">{stage.item}</div>}
    </li>
  );
}

export function BuildPanel({ session }: { session: BuildSession }) {
  const state = useStore(session.state);
  const running = state.phase === "running";
  return (
    <div class="build" data-testid="build-panel" data-phase={state.phase}>
      <section class="panel">
        <h2>{t("build.title")}</h2>
        <p class="muted">{t("build.lead")}</p>
        <form
          class="build-form"
          onSubmit={(e) => {
            e.preventDefault();
            void session.start();
          }}
        >
          {running ? (
            <button type="button" class="button secondary" onClick={() => void session.cancel()} disabled={state.cancelling} data-testid="cancel-build">
              {t(state.cancelling ? "build.cancelling" : "build.cancel")}
            </button>
          ) : (
            <button type="submit" class="button primary" data-testid="start-build">
              {t(state.phase === "idle" ? "build.start" : "build.rebuild")}
            </button>
          )}
        </form>
        {state.phase !== "idle" && (
          <ol class="stages" aria-live="polite">
            {state.stages.map((s) => (
              <StageBar key={s.name} stage={s} />
            ))}
          </ol>
        )}
        {state.phase === "cancelled" && (
          <p class="notice" role="status" data-testid="build-cancelled">
            {t("build.cancelled")}
          </p>
        )}
        {state.phase === "failed" && (
          <div class="banner" role="alert" data-testid="build-error">
            <strong>{t("build.failed")}</strong> {state.error.message}
          </div>
        )}
        {state.phase === "done" && (
          <p class="notice" role="status" data-testid="build-done">
            {t("build.doneIn", { seconds: state.summary.seconds.toFixed(0), documents: state.summary.documents })}
          </p>
        )}
      </section>
      {state.phase === "done" && state.summary.failed_files.length > 0 && (
        <section class="panel">
          <h2>{t("build.failedFiles")}</h2>
          <ul class="file-errors" data-testid="failed-files">
            {state.summary.failed_files.map((f) => (
              <li key={f.file}>
                <strong>{f.file}</strong>: {f.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {state.phase === "done" && state.summary.warnings.length > 0 && (
        <section class="panel">
          <h2>{t("build.warnings")}</h2>
          <ul class="warnings">
            {state.summary.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      {state.phase === "done" && <ReportCard report={state.summary.report} />}
    </div>
  );
}
