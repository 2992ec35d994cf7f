/** One twin in the library: avatar initials, name, role, self-test score and creation date; opens the twin. */
import type { TwinSummary } from "../bindings";
import { formatDate, formatScore, hueFor, initials, scoreBand } from "../format";
import { intlLocale, t } from "../i18n";
import { routeHash } from "../route";

export function TwinCard({ twin }: { twin: TwinSummary }) {
  return (
    <article class="card" data-testid="twin-card" data-twin-id={twin.id} aria-labelledby={`twin-${twin.id}`}>
      <div class="card-head">
        <div class="avatar" style={{ "--hue": String(hueFor(twin.id)) }} aria-hidden="true">
          {initials(twin.name)}
        </div>
        <div class="card-titles">
          <h2 id={`twin-${twin.id}`} class="card-name" data-testid="twin-name">
            <a
              class="card-link"
              href={routeHash({ screen: "twin", id: twin.id, tab: twin.score === null ? "create" : "talk" })}
              aria-label={t("card.open", { name: twin.name })}
              data-testid="open-twin"
            >
              {twin.name}
            </a>
          </h2>
          <p class={twin.role ? "card-role" : "card-role muted-italic"} data-testid="twin-role">
            {twin.role || t("card.noRole")}
          </p>
        </div>
      </div>
      <div class="card-foot">
        {twin.score === null ? (
          <span class="chip chip-neutral">{t("card.notBuilt")}</span>
        ) : (
          <span class={`chip chip-${scoreBand(twin.score)}`}>{t("card.score", { score: formatScore(twin.score) })}</span>
        )}
        <span class="card-date">{t("card.created", { date: formatDate(twin.created_at, intlLocale()) })}</span>
      </div>
    </article>
  );
}
