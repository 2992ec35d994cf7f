/**
 * One twin's build as the Build screen shows it: a bar per stage with the
 * item being worked on and an ETA, then the summary with the report card.
 *
 * Invariants: stages appear in the engine's order (`STAGES`); a stage's
 * fraction only grows; a later stage reporting marks every earlier one done.
 * A cancelled build is not an error: it says it can be resumed.
 */
import type { BuildSummary, ErrorReport, BuildProgress } from "./bindings";
import { toReport } from "./errors";
import type { Api } from "./ipc";
import { Store } from "./store";

/** The engine's stages, in order (`alter_engine::build::STAGES`). */
export const STAGES = ["ingest", "voice", "persona", "selftest"] as const;
export type StageName = (typeof STAGES)[number];

export interface StageView {
  name: StageName;
  /** 0…1. */
  fraction: number;
  done: boolean;
  item: string | null;
  /** Seconds left in this stage, once it can be estimated. */
  etaSeconds: number | null;
}

export type BuildState =
  | { phase: "idle" }
  | { phase: "running"; stages: StageView[]; cancelling: boolean }
  | { phase: "done"; stages: StageView[]; summary: BuildSummary }
  | { phase: "cancelled"; stages: StageView[] }
  | { phase: "failed"; stages: StageView[]; error: ErrorReport };

function freshStages(): StageView[] {
  return STAGES.map((name) => ({ name, fraction: 0, done: false, item: null, etaSeconds: null }));
}

export class BuildSession {
  readonly state = new Store<BuildState>({ phase: "idle" });
  readonly #api: Api;
  readonly #twinId: string;
  readonly #now: () => number;
  /** When each stage first reported, for its ETA. */
  #stageStarted = new Map<StageName, number>();

  constructor(api: Api, twinId: string, now: () => number = () => performance.now()) {
    this.#api = api;
    this.#twinId = twinId;
    this.#now = now;
  }

  get running(): boolean {
    return this.state.get().phase === "running";
  }

  /** Builds the twin from its materials with its settings. */
  async start(): Promise<void> {
    if (this.running) return;
    this.#stageStarted = new Map();
    this.state.set({ phase: "running", stages: freshStages(), cancelling: false });
    try {
      const summary = await this.#api.buildTwin(this.#twinId, (p) => this.onProgress(p));
      const stages = this.#stages().map((s) => ({ ...s, fraction: 1, done: true, item: null, etaSeconds: null }));
      this.state.set({ phase: "done", stages, summary });
    } catch (error) {
      const report = toReport(error);
      if (report.code === "cancelled") this.state.set({ phase: "cancelled", stages: this.#stages() });
      else this.state.set({ phase: "failed", stages: this.#stages(), error: report });
    }
  }

  async cancel(): Promise<void> {
    const current = this.state.get();
    if (current.phase !== "running") return;
    this.state.set({ ...current, cancelling: true });
    try {
      await this.#api.cancelBuild(this.#twinId);
    } catch {
      // The build ends by itself; nothing else to do.
    }
  }

  /** Applies one progress report (exported for tests). */
  onProgress(p: BuildProgress): void {
    const current = this.state.get();
    if (current.phase !== "running") return;
    const index = STAGES.indexOf(p.stage as StageName);
    if (index < 0) return;
    const name = STAGES[index] as StageName;
    const now = this.#now();
    if (!this.#stageStarted.has(name)) this.#stageStarted.set(name, now);
    const fraction = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
    const stages = current.stages.map((s, i) => {
      if (i < index) return { ...s, fraction: 1, done: true, item: null, etaSeconds: null };
      if (i > index) return s;
      const grown = Math.max(s.fraction, fraction);
      const elapsed = (now - (this.#stageStarted.get(name) ?? now)) / 1000;
      const etaSeconds = grown > 0.05 && grown < 1 ? (elapsed * (1 - grown)) / grown : null;
      return { ...s, fraction: grown, done: grown >= 1, item: p.item, etaSeconds };
    });
    this.state.set({ ...current, stages });
  }

  #stages(): StageView[] {
    const current = this.state.get();
    return current.phase === "idle" ? freshStages() : current.stages;
  }
}
