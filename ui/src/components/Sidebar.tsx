/**
 * The app's frame on the left: brand, navigation, language and the offline note.
 *
 * Invariant: only screens that exist are listed in `SCREENS` (a twin's own
 * tabs open from its library card). The language chosen here is saved like
 * the one on the Settings screen.
 */
import type { Locale, MessageKey } from "../i18n";
import { locale, t } from "../i18n";
import { useStore } from "../store";
import { Logo } from "./Icons";

export type Screen = "library" | "models" | "settings";

const SCREENS: readonly { id: Screen; label: MessageKey }[] = [
  { id: "library", label: "nav.library" },
  { id: "models", label: "nav.models" },
  { id: "settings", label: "nav.settings" },
];

export function Sidebar(props: { current: Screen | null; version: string; onLanguage: (lang: Locale) => void }) {
  const lang = useStore(locale);
  return (
    <aside class="sidebar">
      <div class="brand">
        <Logo />
        <div>
          <div class="brand-name">{t("app.name")}</div>
          <div class="brand-tagline">{t("app.tagline")}</div>
        </div>
      </div>
      {props.current !== null && (
        <nav aria-label={t("nav.label")}>
          <ul class="nav">
            {SCREENS.map((s) => (
              <li key={s.id}>
                <a
                  href={`#${s.id}`}
                  class="nav-item"
                  aria-current={props.current === s.id ? "page" : undefined}
                  data-testid={`nav-${s.id}`}
                >
                  {t(s.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div class="sidebar-footer">
        <label class="lang">
          <span>{t("footer.language")}</span>
          <select
            value={lang}
            onChange={(e) => props.onLanguage(e.currentTarget.value as Locale)}
            data-testid="language"
          >
            <option value="en">English</option>
            <option value="zh">中文</option>
          </select>
        </label>
        <p class="offline">{t("footer.offline")}</p>
        {props.version !== "" && <p class="version">{t("footer.version", { version: props.version })}</p>}
      </div>
    </aside>
  );
}
