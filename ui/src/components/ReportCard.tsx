/** The self-test report card a build ends with: the headline figures and each question graded. */
import type { ReportCardView } from "../bindings";
import { formatScore, scoreBand } from "../format";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";

function Figure({ label, value }: { label: MessageKey; value: number | null }) {
  return (
    <div class="figure">
      <dt>{t(label)}</dt>
      <dd class={value === null ? "muted" : `band-${scoreBand(value)}`}>
        {value === null ? t("report.notMeasured") : formatScore(value)}
      </dd>
    </div>
  );
}

export function ReportCard({ report }: { report: ReportCardView }) {
  return (
    <section class="panel report" aria-labelledby="report-title" data-testid="report-card">
      <h2 id="report-title">{t("report.title")}</h2>
      <dl class="figures">
        <Figure label="report.score" value={report.score} />
        <Figure label="report.accuracy" value={report.answer_accuracy} />
        <Figure label="report.citations" value={report.citation_correct} />
        <Figure label="report.declines" value={report.decline_rate} />
        <Figure label="report.style" value={report.style_score} />
        <Figure label="report.voice" value={report.voice_similarity} />
      </dl>
      {report.questions.length > 0 && (
        <details class="questions">
          <summary>{t("report.questions")}</summary>
          <ul>
            {report.questions.map((q, i) => {
              const passed = q.answerable ? q.answer_correct && q.citation_correct : q.declined;
              return (
                <li key={i} lang={q.lang === "zh" ? "zh-CN" : "en"}>
                  <span class={`chip chip-${passed ? "good" : "low"}`}>{t(passed ? "report.pass" : "report.fail")}</span>{" "}
                  {q.question}
                </li>
              );
            })}
          </ul>
        </details>
      )}
    </section>
  );
}
