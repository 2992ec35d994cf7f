/**
 * The twin's documents with what the build will make of each: its kind and
 * size, pages or rows, chunks, or why it cannot be read.
 */
import type { DocumentView } from "../bindings";
import { plural, t } from "../i18n";
import { formatBytes } from "../format";

function extent(d: DocumentView): string {
  if (d.pages !== null) return plural("create.doc.pages", d.pages);
  if (d.rows !== null) return plural("create.doc.rows", d.rows);
  return "";
}

/** The short label on a document's tile. */
const KIND_LABEL: Record<string, string> = { markdown: "MD", text: "TXT", html: "HTML" };

function kindLabel(kind: string | null): string {
  if (kind === null) return "?";
  return KIND_LABEL[kind] ?? kind.slice(0, 4).toUpperCase();
}

export function DocumentList(props: { documents: DocumentView[]; busy: boolean; onRemove: (name: string) => void }) {
  const { documents, busy, onRemove } = props;
  if (documents.length === 0) {
    return (
      <p class="muted empty-list" data-testid="no-documents">
        {t("create.docs.empty")}
      </p>
    );
  }
  return (
    <ul class="file-list" data-testid="document-list">
      {documents.map((d) => (
        <li key={d.name} class="file-row" data-testid="document-row" data-name={d.name} data-status={d.error ? "error" : "ready"}>
          <span class={`file-kind kind-${d.kind ?? "unknown"}`} aria-hidden="true">
            {kindLabel(d.kind)}
          </span>
          <div class="file-main">
            <div class="file-name" title={d.name}>
              {d.name}
            </div>
            <div class="file-meta">
              {formatBytes(d.bytes)}
              {extent(d) && ` · ${extent(d)}`}
              {d.notes.length > 0 && ` · ${d.notes.join("; ")}`}
            </div>
          </div>
          {d.error ? (
            <span class="file-status status-error" role="note">
              {d.error.message}
            </span>
          ) : (
            <span class="file-status status-ready">{plural("create.doc.chunks", d.chunks)}</span>
          )}
          <button
            type="button"
            class="icon-button"
            aria-label={t("create.remove", { name: d.name })}
            title={t("create.remove", { name: d.name })}
            disabled={busy}
            onClick={() => onRemove(d.name)}
            data-testid="remove-document"
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
