/**
 * One twin: its name and role over its tabs (Create, Build, Talk, Look, Persona).
 * The materials, the build session and the conversation live as long as the
 * screen, so switching tabs keeps a running build, a recording and the
 * conversation.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import type { TwinDetails } from "../bindings";
import { BuildSession } from "../buildSession";
import { Conversation } from "../conversation";
import { toReport } from "../errors";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";
import type { Api } from "../ipc";
import type { TwinTab } from "../route";
import { navigate, routeHash } from "../route";
import { toAvatar } from "../look";
import { useAvatarModel } from "../avatarModel";
import { TwinMaterials } from "../materials";
import { AboutPanel } from "./AboutPanel";
import { BuildPanel } from "./BuildPanel";
import { CreatePanel } from "./CreatePanel";
import { LookPanel } from "./LookPanel";
import { PersonaPanel } from "./PersonaPanel";
import { TalkPanel } from "./TalkPanel";

const TABS: readonly TwinTab[] = ["create", "build", "talk", "look", "persona"];

export function TwinScreen(props: { api: Api; id: string; tab: TwinTab; onBuilt?: () => void }) {
  const { api, id, tab } = props;
  const build = useMemo(() => new BuildSession(api, id), [api, id]);
  const conversation = useMemo(() => new Conversation(api, id), [api, id]);
  const materials = useMemo(() => new TwinMaterials(api, id), [api, id]);
  const [twin, setTwin] = useState<TwinDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.getTwin(id).then(setTwin, (e: unknown) => setError(toReport(e).message));
  }, [api, id]);
  useEffect(() => () => conversation.stop(), [conversation]);
  // An imported folder's twin.toml changes the twin's settings: show them.
  useEffect(() => {
    let seen = materials.state.get().lastAdded;
    return materials.state.subscribe((s) => {
      if (s.lastAdded === seen) return;
      seen = s.lastAdded;
      if (s.lastAdded?.settings) api.getTwin(id).then(setTwin, () => undefined);
    });
  }, [materials]);
  useEffect(
    () =>
      build.state.subscribe((s) => {
        if (s.phase === "done") props.onBuilt?.();
      }),
    [build],
  );
  const vrm = useAvatarModel(api, id, twin?.params.appearance.vrm);
  const name = twin?.summary.name ?? id;
  return (
    <main class="main twin-screen" aria-labelledby="twin-title" data-testid="twin-screen" data-twin-id={id}>
      <header class="page-head">
        <div>
          <a class="back" href="#library" data-testid="back">
            ← {t("twin.back")}
          </a>
          <h1 id="twin-title">{name}</h1>
          {twin?.summary.role && <p class="page-subtitle">{twin.summary.role}</p>}
        </div>
      </header>
      {error && (
        <div class="banner" role="alert">
          {error}
        </div>
      )}
      <div class="tabs" role="tablist" aria-label={t("twin.tabs")}>
        {TABS.map((x) => (
          <a
            key={x}
            role="tab"
            href={routeHash({ screen: "twin", id, tab: x })}
            aria-selected={tab === x}
            class="tab"
            data-testid={`tab-${x}`}
            onClick={(e) => {
              e.preventDefault();
              navigate({ screen: "twin", id, tab: x });
            }}
          >
            {t(`twin.tab.${x}` as MessageKey)}
          </a>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "create" && (
          <CreatePanel
            materials={materials}
            twinId={id}
            about={twin && <AboutPanel api={api} twin={twin} onSaved={setTwin} />}
          />
        )}
        {tab === "build" && <BuildPanel session={build} />}
        {tab === "talk" && twin && (
          <TalkPanel conversation={conversation} name={name} appearance={toAvatar(twin.params.appearance)} vrm={vrm} />
        )}
        {tab === "persona" && (
          <PersonaPanel api={api} twinId={id} onSaved={(params) => twin && setTwin({ ...twin, params })} />
        )}
        {tab === "look" && twin && <LookPanel api={api} twin={twin} vrm={vrm} onSaved={setTwin} />}
      </div>
    </main>
  );
}
