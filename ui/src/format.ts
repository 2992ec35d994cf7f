/**
 * Small display helpers for the library: dates, scores, initials and a
 * stable, calm colour per twin.
 */

/** Formats an RFC 3339 timestamp as a date in `locale`; an unreadable one is shown as is. */
export function formatDate(rfc3339: string, locale: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(date);
}

/** A self-test score in [0, 1] as a whole percentage; out-of-range values are clamped. */
export function formatScore(score: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(score) ? score : 0));
  return `${Math.round(clamped * 100)}%`;
}

/** Good, fair or low, for the score chip's colour. */
export function scoreBand(score: number): "good" | "fair" | "low" {
  if (score >= 0.8) return "good";
  if (score >= 0.6) return "fair";
  return "low";
}

/** Up to two initials ("Maya Okafor" → "MO"); CJK names give their first character. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  const first = [...(words[0] ?? "")][0] ?? "?";
  if (words.length === 1) return first.toUpperCase();
  const last = [...(words[words.length - 1] ?? "")][0] ?? "";
  return (first + last).toUpperCase();
}

const HUES = [205, 190, 170, 220, 150, 260, 30, 340];

/** A hue for the avatar, stable for an id. */
export function hueFor(id: string): number {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return HUES[hash % HUES.length] ?? 205;
}

/** A file size in B, kB, MB or GB (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
