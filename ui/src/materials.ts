/**
 * One twin's materials as the Create tab shows them: its documents and voice
 * samples with their checks, what was left out of the last addition and why,
 * and the recording in progress with its live level.
 *
 * Invariants: the lists are always the engine's (reloaded after every
 * change, never edited here); one change at a time (`busy`); a failed call
 * leaves the lists as they were and says why in `error`.
 */
import type { DocumentView, ErrorReport, LevelView, SampleView, SkippedView } from "./bindings";
import { toReport } from "./errors";
import type { Api } from "./ipc";
import { Store } from "./store";

/** Meter readings kept for the recording's level trace (~10 s at 10 a second). */
export const LEVEL_HISTORY = 100;

export interface Recording {
  seconds: number;
  /** Latest RMS level, dBFS. */
  dbfs: number;
  peak: number;
  /** Recent levels, oldest first. */
  history: number[];
  stopping: boolean;
}

export interface MaterialsState {
  loaded: boolean;
  documents: DocumentView[];
  samples: SampleView[];
  busy: boolean;
  /** Files left out of the last addition, with why. */
  skipped: SkippedView[];
  /** What the last addition or import did, for the status line. */
  lastAdded: { documents: number; samples: number; settings: boolean } | null;
  recording: Recording | null;
  error: ErrorReport | null;
}

const EMPTY: MaterialsState = {
  loaded: false,
  documents: [],
  samples: [],
  busy: false,
  skipped: [],
  lastAdded: null,
  recording: null,
  error: null,
};

export class TwinMaterials {
  readonly state = new Store<MaterialsState>(EMPTY);
  readonly #api: Api;
  readonly #twinId: string;

  constructor(api: Api, twinId: string) {
    this.#api = api;
    this.#twinId = twinId;
  }

  /** Documents the build can read. */
  get readableDocuments(): number {
    return this.state.get().documents.filter((d) => d.error === null).length;
  }

  async load(): Promise<void> {
    await this.#change(async () => {
      await this.#reload();
    });
  }

  async addDocuments(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.#change(async () => {
      const added = await this.#api.addDocuments(this.#twinId, paths);
      this.#patch({ skipped: added.skipped, lastAdded: { documents: added.added.length, samples: 0, settings: false } });
      await this.#reload();
    });
  }

  async addVoiceSamples(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.#change(async () => {
      const added = await this.#api.addVoiceSamples(this.#twinId, paths);
      this.#patch({ skipped: added.skipped, lastAdded: { documents: 0, samples: added.added.length, settings: false } });
      await this.#reload();
    });
  }

  async importFolder(folder: string): Promise<void> {
    await this.#change(async () => {
      const imported = await this.#api.importFolder(this.#twinId, folder);
      this.#patch({
        skipped: [...imported.documents.skipped, ...imported.samples.skipped],
        lastAdded: {
          documents: imported.documents.added.length,
          samples: imported.samples.added.length,
          settings: imported.settings_applied,
        },
      });
      await this.#reload();
    });
  }

  async removeDocument(name: string): Promise<void> {
    await this.#change(async () => {
      await this.#api.removeDocument(this.#twinId, name);
      await this.#reload();
    });
  }

  async removeVoiceSample(name: string): Promise<void> {
    await this.#change(async () => {
      await this.#api.removeVoiceSample(this.#twinId, name);
      await this.#reload();
    });
  }

  /** Records until `stopRecording`; the take joins the samples. */
  async record(): Promise<void> {
    if (this.state.get().recording) return;
    this.#patch({ recording: { seconds: 0, dbfs: -120, peak: 0, history: [], stopping: false }, error: null });
    try {
      const take = await this.#api.recordVoiceSample(this.#twinId, (l) => this.onLevel(l));
      this.#patch({ recording: null, skipped: [], lastAdded: { documents: 0, samples: 1, settings: false } });
      this.#patch({ samples: [...this.state.get().samples.filter((s) => s.name !== take.name), take] });
      await this.#reload().catch(() => undefined);
    } catch (error) {
      this.#patch({ recording: null, error: toReport(error) });
    }
  }

  async stopRecording(): Promise<void> {
    const recording = this.state.get().recording;
    if (!recording || recording.stopping) return;
    this.#patch({ recording: { ...recording, stopping: true } });
    await this.#api.stopRecording().catch(() => undefined);
  }

  /** Applies one meter reading (exported for tests). */
  onLevel(level: LevelView): void {
    const recording = this.state.get().recording;
    if (!recording) return;
    const history = [...recording.history, level.dbfs].slice(-LEVEL_HISTORY);
    this.#patch({ recording: { ...recording, seconds: level.seconds, dbfs: level.dbfs, peak: level.peak, history } });
  }

  async #change(work: () => Promise<void>): Promise<void> {
    if (this.state.get().busy) return;
    this.#patch({ busy: true, error: null });
    try {
      await work();
    } catch (error) {
      this.#patch({ error: toReport(error) });
    } finally {
      this.#patch({ busy: false });
    }
  }

  async #reload(): Promise<void> {
    const m = await this.#api.twinMaterials(this.#twinId);
    this.#patch({ loaded: true, documents: m.documents, samples: m.samples });
  }

  #patch(change: Partial<MaterialsState>): void {
    this.state.set({ ...this.state.get(), ...change });
  }
}
