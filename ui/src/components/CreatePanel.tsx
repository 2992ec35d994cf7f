/**
 * The Create tab: what the twin learns from. Documents and voice samples are
 * added by dropping them on the window, choosing them in the system's file
 * dialog, recording in the app, or importing a folder laid out for
 * `alter build`; each shows at once what the build will make of it.
 */
import { useEffect, useState } from "preact/hooks";
import { listenForDrops, pick, sortDropped } from "../desktop";
import { t } from "../i18n";
import type { TwinMaterials } from "../materials";
import { routeHash } from "../route";
import { useStore } from "../store";
import { DocumentList } from "./DocumentList";
import { RecordingMeter, SampleList } from "./VoiceSamples";

export function CreatePanel(props: { materials: TwinMaterials; twinId: string; about?: preact.ComponentChildren }) {
  const { materials, twinId } = props;
  const state = useStore(materials.state);
  const [dragOver, setDragOver] = useState(false);
  const [folder, setFolder] = useState("");

  useEffect(() => {
    void materials.load();
  }, [materials]);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    void listenForDrops(setDragOver, (paths) => {
      const { documents, voice } = sortDropped(paths);
      void materials.addDocuments(documents).then(() => materials.addVoiceSamples(voice));
    }).then((unlisten) => {
      if (gone) unlisten();
      else stop = unlisten;
    });
    return () => {
      gone = true;
      stop?.();
    };
  }, [materials]);

  const readable = state.documents.filter((d) => d.error === null).length;
  const recording = state.recording;
  return (
    <div class={`create${dragOver ? " drag-over" : ""}`} data-testid="create-panel" data-busy={String(state.busy)}>
      {dragOver && (
        <div class="drop-hint" aria-hidden="true">
          {t("create.dropHint")}
        </div>
      )}
      {props.about}
      <section class="panel" aria-labelledby="docs-title">
        <div class="panel-head">
          <div>
            <h2 id="docs-title">{t("create.docs.title")}</h2>
            <p class="muted">{t("create.docs.lead")}</p>
          </div>
          <button
            type="button"
            class="button secondary"
            disabled={state.busy}
            onClick={() => void pick("documents", t("create.docs.pick")).then((p) => materials.addDocuments(p))}
            data-testid="pick-documents"
          >
            {t("create.docs.pick")}
          </button>
        </div>
        <DocumentList documents={state.documents} busy={state.busy} onRemove={(n) => void materials.removeDocument(n)} />
      </section>

      <section class="panel" aria-labelledby="voice-title">
        <div class="panel-head">
          <div>
            <h2 id="voice-title">{t("create.voice.title")}</h2>
            <p class="muted">{t("create.voice.lead")}</p>
          </div>
          <div class="panel-actions">
            <button
              type="button"
              class="button secondary"
              disabled={state.busy || recording !== null}
              onClick={() => void pick("voice", t("create.voice.pick")).then((p) => materials.addVoiceSamples(p))}
              data-testid="pick-samples"
            >
              {t("create.voice.pick")}
            </button>
            {recording ? (
              <button
                type="button"
                class="button primary"
                disabled={recording.stopping}
                onClick={() => void materials.stopRecording()}
                data-testid="stop-recording"
              >
                {t("create.voice.stop")}
              </button>
            ) : (
              <button
                type="button"
                class="button primary"
                disabled={state.busy}
                onClick={() => void materials.record()}
                data-testid="record-sample"
              >
                {t("create.voice.record")}
              </button>
            )}
          </div>
        </div>
        {recording && <RecordingMeter recording={recording} />}
        <SampleList samples={state.samples} busy={state.busy} onRemove={(n) => void materials.removeVoiceSample(n)} />
      </section>

      <section class="panel" aria-labelledby="import-title">
        <h2 id="import-title">{t("create.import.title")}</h2>
        <p class="muted">{t("create.import.lead")}</p>
        <form
          class="build-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (folder.trim()) void materials.importFolder(folder);
          }}
        >
          <label class="field">
            <span>{t("create.import.folder")}</span>
            <input
              id="import-folder"
              type="text"
              value={folder}
              placeholder={t("create.import.hint")}
              disabled={state.busy}
              onInput={(e) => setFolder(e.currentTarget.value)}
              spellcheck={false}
              autoComplete="off"
            />
          </label>
          <button
            type="button"
            class="button secondary"
            disabled={state.busy}
            onClick={() =>
              void pick("folder", t("create.import.choose")).then((p) => {
                if (p[0]) {
                  setFolder(p[0]);
                  void materials.importFolder(p[0]);
                }
              })
            }
          >
            {t("create.import.choose")}
          </button>
          <button type="submit" class="button primary" disabled={state.busy || !folder.trim()} data-testid="import-folder">
            {t("create.import.go")}
          </button>
        </form>
      </section>

      <div class="create-status" aria-live="polite">
        {state.busy && <p class="muted">{t("create.working")}</p>}
        {state.error && (
          <div class="banner" role="alert" data-testid="materials-error">
            {state.error.message}
          </div>
        )}
        {state.lastAdded && !state.busy && (
          <p class="notice" data-testid="materials-added">
            {t("create.added", { documents: state.lastAdded.documents, samples: state.lastAdded.samples })}
            {state.lastAdded.settings && ` ${t("create.settingsApplied")}`}
          </p>
        )}
        {state.skipped.length > 0 && (
          <ul class="file-errors" data-testid="skipped-files">
            {state.skipped.map((s) => (
              <li key={s.path}>
                <strong>{s.path}</strong>: {s.reason}
              </li>
            ))}
          </ul>
        )}
      </div>

      <div class="create-next">
        <span class="muted" data-testid="materials-summary">
          {t("create.summary", { documents: readable, samples: state.samples.filter((s) => s.quality?.usable).length })}
        </span>
        <a
          class={`button primary${readable === 0 ? " disabled" : ""}`}
          href={routeHash({ screen: "twin", id: twinId, tab: "build" })}
          aria-disabled={readable === 0}
          onClick={(e) => readable === 0 && e.preventDefault()}
          data-testid="go-build"
        >
          {t("create.next")}
        </a>
      </div>
    </div>
  );
}
