/**
 * The app's shell: the sidebar and the current screen. Until the engine has
 * reported its status nothing but the frame is drawn; if it did not open, the
 * start-up problem replaces every screen.
 */
import { locale } from "../i18n";
import type { Api } from "../ipc";
import type { Library } from "../library";
import type { AppPreferences } from "../preferences";
import { route } from "../route";
import { useStore } from "../store";
import { LibraryScreen } from "./LibraryScreen";
import { Sidebar } from "./Sidebar";
import { ModelsScreen } from "./ModelsScreen";
import { SettingsScreen } from "./SettingsScreen";
import { StartupProblem } from "./StartupProblem";
import { TwinScreen } from "./TwinScreen";

export function App({ library, api, preferences }: { library: Library; api: Api; preferences: AppPreferences }) {
  const state = useStore(library.state);
  const current = useStore(route);
  // Re-render every text when the language changes.
  const lang = useStore(locale);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";

  const version = state.phase === "starting" ? "" : state.status.version;
  return (
    <div class="shell">
      <Sidebar
        current={state.phase === "ready" ? (current.screen === "twin" ? "library" : current.screen) : null}
        version={version}
        onLanguage={(lang) => void preferences.setLanguage(lang)}
      />
      {state.phase === "starting" && <main class="main" aria-busy="true" />}
      {state.phase === "unavailable" && <StartupProblem status={state.status} />}
      {state.phase === "ready" && current.screen === "library" && <LibraryScreen library={library} state={state} />}
      {state.phase === "ready" && current.screen === "models" && <ModelsScreen api={api} />}
      {state.phase === "ready" && current.screen === "settings" && <SettingsScreen api={api} preferences={preferences} />}
      {state.phase === "ready" && current.screen === "twin" && (
        <TwinScreen
          key={current.id}
          api={api}
          id={current.id}
          tab={current.tab}
          onBuilt={() => void library.reload()}
        />
      )}
    </div>
  );
}
