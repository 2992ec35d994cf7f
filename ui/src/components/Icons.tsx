/** Inline SVG icons (no icon font: the app works offline and the webview stays light). */

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 64 64" aria-hidden="true">
      <defs>
        <linearGradient id="logo-g" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stop-color="#1d4f7c" />
          <stop offset="1" stop-color="#2b8a8a" />
        </linearGradient>
      </defs>
      <rect x="2" y="2" width="60" height="60" rx="14" fill="url(#logo-g)" />
      <circle cx="38" cy="26" r="8" fill="#fff" fill-opacity="0.4" />
      <path d="M25 60c0-9 6-14 13-14s13 5 13 14z" fill="#fff" fill-opacity="0.4" />
      <circle cx="27" cy="27" r="8" fill="#fff" />
      <path d="M14 60c0-9 6-14 13-14s13 5 13 14z" fill="#fff" />
    </svg>
  );
}

export function PlusIcon() {
  return (
    <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
      <path d="M10 4v12M4 10h12" stroke="currentColor" stroke-width="2" stroke-linecap="round" fill="none" />
    </svg>
  );
}

export function CloseIcon() {
  return (
    <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
      <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" stroke-width="2" stroke-linecap="round" fill="none" />
    </svg>
  );
}

export function WarningIcon() {
  return (
    <svg class="icon-lg" viewBox="0 0 48 48" aria-hidden="true">
      <circle cx="24" cy="24" r="22" fill="currentColor" opacity="0.12" />
      <path d="M24 13v14" stroke="currentColor" stroke-width="4" stroke-linecap="round" />
      <circle cx="24" cy="34" r="2.6" fill="currentColor" />
    </svg>
  );
}

export function EmptyIllustration() {
  return (
    <svg class="empty-art" viewBox="0 0 160 120" aria-hidden="true">
      <rect x="8" y="8" width="144" height="104" rx="18" fill="var(--accent-soft)" />
      <circle cx="92" cy="48" r="15" fill="none" stroke="var(--accent)" stroke-width="3" stroke-dasharray="5 5" />
      <path d="M66 96c0-16 11-24 26-24s26 8 26 24" fill="none" stroke="var(--accent)" stroke-width="3" stroke-dasharray="5 5" stroke-linecap="round" />
      <circle cx="66" cy="50" r="15" fill="var(--accent)" />
      <path d="M40 98c0-16 11-24 26-24s26 8 26 24z" fill="var(--accent)" />
    </svg>
  );
}
