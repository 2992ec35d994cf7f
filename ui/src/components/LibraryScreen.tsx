/**
 * The first screen: every twin on this computer, and the "New twin" action.
 */
import { useState } from "preact/hooks";
import type { TwinSummary } from "../bindings";
import { sentence } from "../errors";
import { plural, t } from "../i18n";
import { navigate } from "../route";
import type { Library, LibraryState } from "../library";
import { EmptyIllustration, PlusIcon } from "./Icons";
import { NewTwinDialog } from "./NewTwinDialog";
import { TwinCard } from "./TwinCard";

type Ready = Extract<LibraryState, { phase: "ready" }>;

export function LibraryScreen({ library, state }: { library: Library; state: Ready }) {
  const [dialogOpen, setDialogOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { twins, loading, error } = state;

  function created(twin: TwinSummary) {
    setDialogOpen(false);
    setNotice(t("toast.created", { name: twin.name }));
    // A new twin needs its materials next.
    navigate({ screen: "twin", id: twin.id, tab: "create" });
  }

  const count = plural("library.count", twins.length);
  return (
    <main class="main" aria-labelledby="library-title" data-testid="library">
      <header class="page-head">
        <div>
          <h1 id="library-title">{t("library.title")}</h1>
          <p class="page-subtitle">
            {t("library.subtitle")}
            {twins.length > 0 && <span class="count"> · {count}</span>}
          </p>
        </div>
        {twins.length > 0 && (
          <button type="button" class="button primary" onClick={() => setDialogOpen(true)} data-testid="new-twin">
            <PlusIcon />
            {t("library.new")}
          </button>
        )}
      </header>

      <p class="notice" role="status" aria-live="polite" data-testid="notice">
        {notice}
      </p>

      {error && (
        <div class="banner" role="alert" data-testid="library-error">
          <span>
            {t("library.loadFailed")} {sentence(error.message)}
          </span>
          <button type="button" class="button secondary small" onClick={() => void library.reload()}>
            {t("library.retry")}
          </button>
        </div>
      )}

      {loading && twins.length === 0 ? (
        <p class="loading" aria-busy="true">
          {t("library.loading")}
        </p>
      ) : twins.length === 0 && !error ? (
        <section class="empty" data-testid="empty-library" aria-labelledby="empty-title">
          <EmptyIllustration />
          <h2 id="empty-title">{t("empty.title")}</h2>
          <p>{t("empty.body")}</p>
          <button type="button" class="button primary" onClick={() => setDialogOpen(true)} data-testid="new-twin">
            <PlusIcon />
            {t("empty.action")}
          </button>
        </section>
      ) : (
        <ul class="grid" data-testid="twin-list" aria-labelledby="library-title">
          {twins.map((twin) => (
            <li key={twin.id}>
              <TwinCard twin={twin} />
            </li>
          ))}
        </ul>
      )}

      {dialogOpen && (
        <NewTwinDialog
          create={(name, role) => library.create(name, role)}
          onCancel={() => setDialogOpen(false)}
          onCreated={created}
        />
      )}
    </main>
  );
}
