/**
 * Errors as the UI sees them: always an `ErrorReport` (stable `code`, plain
 * `message`, optional `details`), whatever actually reached the webview.
 *
 * Invariant: `toReport` never throws and always returns a well-formed report,
 * so every screen can show an error the same way.
 */
import type { ErrorCode, ErrorReport } from "./bindings";

const CODES: readonly ErrorCode[] = [
  "invalid_input",
  "not_found",
  "already_exists",
  "model_missing",
  "model_corrupt",
  "bad_file",
  "database",
  "io",
  "audio",
  "busy",
  "cancelled",
  "internal",
];

export function isErrorReport(value: unknown): value is ErrorReport {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === "string" &&
    (CODES as readonly string[]).includes(v.code) &&
    typeof v.message === "string" &&
    (v.details === null || v.details === undefined || typeof v.details === "string")
  );
}

/** An `Error` carrying a report, so it can be thrown and still be switched on. */
export class AppError extends Error {
  readonly report: ErrorReport;

  constructor(report: ErrorReport) {
    super(report.message);
    this.name = "AppError";
    this.report = report;
  }
}

/**
 * Normalises anything a command can reject with. Tauri itself rejects with a
 * plain string when arguments do not deserialise ("invalid args …"): that is
 * bad input, so it becomes `invalid_input`.
 */
export function toReport(error: unknown): ErrorReport {
  if (error instanceof AppError) return error.report;
  if (isErrorReport(error)) return { code: error.code, message: error.message, details: error.details ?? null };
  if (typeof error === "string") {
    const code: ErrorCode = error.startsWith("invalid args") ? "invalid_input" : "internal";
    return { code, message: error, details: null };
  }
  if (error instanceof Error) return { code: "internal", message: error.message, details: error.stack ?? null };
  return { code: "internal", message: "Unknown error", details: safeStringify(error) };
}

function safeStringify(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

/** Which form field an `invalid_input` message is about ("the name is empty" → "name"). */
export function fieldOf(report: ErrorReport): string | null {
  if (report.code !== "invalid_input") return null;
  const match = /^the ([a-z][a-z ]*?) (?:is|contains|must)\b/i.exec(report.message);
  return match?.[1]?.toLowerCase() ?? null;
}

/** Engine messages are lower-case clauses; show them as sentences. */
export function sentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === "") return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
