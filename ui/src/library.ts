/**
 * The library store: the twins on this computer and the app's start-up status.
 *
 * Invariant: `twins` is what the engine last returned, most recently changed
 * first; a created twin is inserted at the front without a reload, so it shows
 * at once, and a failed load keeps the previous list visible next to the error.
 */
import type { AppStatus, ErrorReport, TwinSummary } from "./bindings";
import { toReport } from "./errors";
import type { Api } from "./ipc";
import { Store } from "./store";

export type LibraryState =
  | { phase: "starting" }
  | { phase: "unavailable"; status: AppStatus }
  | { phase: "ready"; status: AppStatus; twins: TwinSummary[]; loading: boolean; error: ErrorReport | null };

export class Library {
  readonly state = new Store<LibraryState>({ phase: "starting" });
  readonly #api: Api;

  constructor(api: Api) {
    this.#api = api;
  }

  /** Asks whether the engine opened, then loads the twins if it did. */
  async start(): Promise<void> {
    let status: AppStatus;
    try {
      status = await this.#api.appStatus();
    } catch (error) {
      const report = toReport(error);
      status = { ready: false, home: null, database: null, error: report, version: "" };
    }
    if (!status.ready) {
      this.state.set({ phase: "unavailable", status });
      return;
    }
    this.state.set({ phase: "ready", status, twins: [], loading: true, error: null });
    await this.reload();
  }

  async reload(): Promise<void> {
    const current = this.state.get();
    if (current.phase !== "ready") return;
    this.state.set({ ...current, loading: true, error: null });
    try {
      const twins = await this.#api.listTwins();
      this.#patch({ twins, loading: false, error: null });
    } catch (error) {
      this.#patch({ loading: false, error: toReport(error) });
    }
  }

  /** Creates a twin; rejects with an `AppError` (e.g. `invalid_input`) for the form to show. */
  async create(name: string, role: string): Promise<TwinSummary> {
    const params = await this.#api.defaultTwinParams();
    const created = await this.#api.createTwin({ ...params, name, role });
    const current = this.state.get();
    if (current.phase === "ready") {
      this.#patch({ twins: [created, ...current.twins.filter((t) => t.id !== created.id)] });
    }
    return created;
  }

  #patch(change: Partial<Extract<LibraryState, { phase: "ready" }>>): void {
    const current = this.state.get();
    if (current.phase === "ready") this.state.set({ ...current, ...change });
  }
}
