/**
 * Shown instead of the library when the engine could not open: a damaged
 * database, an unwritable data folder. Says what happened and what to do.
 */
import type { AppStatus } from "../bindings";
import { sentence } from "../errors";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";
import { WarningIcon } from "./Icons";

type Kind = "database" | "io" | "other";

const STEPS: Record<Kind, MessageKey[]> = {
  database: ["problem.database.1", "problem.database.2", "problem.database.3"],
  io: ["problem.io.1", "problem.io.2"],
  other: ["problem.other.1"],
};

export function StartupProblem({ status }: { status: AppStatus }) {
  const code = status.error?.code ?? "internal";
  const kind: Kind = code === "database" ? "database" : code === "io" ? "io" : "other";
  const vars = { database: status.database ?? "alter.db", home: status.home ?? "ALTER_HOME" };
  return (
    <main class="main" aria-labelledby="problem-title">
      <section class="problem" data-testid="startup-problem" data-code={code}>
        <div class="problem-icon">
          <WarningIcon />
        </div>
        <h1 id="problem-title" data-testid="problem-title">
          {t(`problem.title.${kind}`)}
        </h1>
        <p class="problem-message" data-testid="problem-message">
          {sentence(status.error?.message ?? t("error.unexpected"))}
        </p>
        <p class="problem-lead">{t("problem.lead")}</p>
        <h2>{t("problem.todo")}</h2>
        <ol class="problem-steps">
          {STEPS[kind].map((key) => (
            <li key={key}>{withCode(t(key, vars), Object.values(vars))}</li>
          ))}
        </ol>
        <details class="problem-details">
          <summary>{t("problem.details")}</summary>
          <dl>
            <dt>{t("problem.code")}</dt>
            <dd>
              <code>{code}</code>
            </dd>
            {status.error?.details && (
              <>
                <dt>{t("problem.details")}</dt>
                <dd>
                  <code>{status.error.details}</code>
                </dd>
              </>
            )}
          </dl>
        </details>
      </section>
    </main>
  );
}

/** Renders the paths inside a step as `<code>` so they stand out and can be selected. */
function withCode(text: string, paths: string[]) {
  const parts: (string | preact.JSX.Element)[] = [];
  let rest = text;
  for (;;) {
    const hit = paths
      .map((p) => ({ p, i: rest.indexOf(p) }))
      .filter((h) => h.i >= 0)
      .sort((a, b) => a.i - b.i)[0];
    if (!hit) break;
    parts.push(rest.slice(0, hit.i), <code key={parts.length}>{hit.p}</code>);
    rest = rest.slice(hit.i + hit.p.length);
  }
  parts.push(rest);
  return parts;
}
