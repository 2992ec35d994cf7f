/**
 * The "New twin" dialog: name and role, validated by the engine.
 *
 * Invariants: the engine is the only judge of what is valid (no rules are
 * duplicated here); its `invalid_input` message is shown under the field it
 * names, anything else above the buttons. Enter submits, Escape cancels,
 * Tab stays inside the dialog, and focus returns to the opener on close.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ErrorReport, TwinSummary } from "../bindings";
import { fieldOf, sentence, toReport } from "../errors";
import { t } from "../i18n";
import { CloseIcon } from "./Icons";

export interface NewTwinDialogProps {
  onCancel: () => void;
  onCreated: (twin: TwinSummary) => void;
  create: (name: string, role: string) => Promise<TwinSummary>;
}

export function NewTwinDialog({ onCancel, onCreated, create }: NewTwinDialogProps) {
  const [name, setName] = useState("");
  const [role, setRole] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorReport | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    nameInput.current?.focus();
    return () => opener?.focus();
  }, []);

  const field = error ? fieldOf(error) : null;
  const nameError = field === "name" ? error : null;
  const roleError = field === "role" ? error : null;
  const formError = error && !nameError && !roleError ? error : null;

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const twin = await create(name, role);
      onCreated(twin);
    } catch (err) {
      setError(toReport(err));
      setBusy(false);
      // Put the cursor where the problem is.
      const target = fieldOf(toReport(err)) === "role" ? "role" : "name";
      panel.current?.querySelector<HTMLInputElement>(`#new-twin-${target}`)?.focus();
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      if (!busy) onCancel();
    } else if (event.key === "Tab") {
      trapFocus(event, panel.current);
    }
  }

  return (
    <div class="backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onCancel()}>
      <div
        ref={panel}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="new-twin-title"
        aria-describedby="new-twin-description"
        data-testid="new-twin-dialog"
        onKeyDown={onKeyDown}
      >
        <div class="dialog-head">
          <h2 id="new-twin-title">{t("dialog.title")}</h2>
          <button type="button" class="icon-button" aria-label={t("dialog.close")} onClick={onCancel} disabled={busy}>
            <CloseIcon />
          </button>
        </div>
        <p id="new-twin-description" class="dialog-description">
          {t("dialog.description")}
        </p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field
            id="new-twin-name"
            label={t("dialog.name")}
            hint={t("dialog.nameHint")}
            value={name}
            onInput={setName}
            error={nameError}
            inputRef={nameInput}
            required
          />
          <Field
            id="new-twin-role"
            label={t("dialog.role")}
            hint={t("dialog.roleHint")}
            value={role}
            onInput={setRole}
            error={roleError}
          />
          {formError && (
            <p class="form-error" role="alert" data-testid="form-error">
              {sentence(formError.message)}
            </p>
          )}
          <div class="dialog-actions">
            <button type="button" class="button secondary" onClick={onCancel} disabled={busy}>
              {t("dialog.cancel")}
            </button>
            <button type="submit" class="button primary" disabled={busy} data-testid="create-twin">
              {busy ? t("dialog.creating") : t("dialog.create")}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint: string;
  value: string;
  onInput: (value: string) => void;
  error: ErrorReport | null;
  required?: boolean;
  inputRef?: preact.RefObject<HTMLInputElement>;
}

function Field({ id, label, hint, value, onInput, error, required, inputRef }: FieldProps) {
  const describedBy = error ? `${id}-error` : `${id}-hint`;
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        ref={inputRef}
        type="text"
        value={value}
        autoComplete="off"
        spellcheck={false}
        aria-required={required ? "true" : undefined}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy}
        onInput={(e) => onInput(e.currentTarget.value)}
        data-testid={id}
      />
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert" data-testid={`${id}-error`}>
          {sentence(error.message)}
        </p>
      ) : (
        <p id={`${id}-hint`} class="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

const FOCUSABLE = "button:not([disabled]), input:not([disabled]), select:not([disabled]), [href], [tabindex]:not([tabindex='-1'])";

/** Keeps Tab and Shift+Tab cycling inside `container`. */
export function trapFocus(event: KeyboardEvent, container: HTMLElement | null): void {
  if (!container) return;
  const items = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
