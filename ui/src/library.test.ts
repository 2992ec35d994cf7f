import { describe, expect, it } from "vitest";
import type { AppStatus, TwinParams, TwinSummary } from "./bindings";
import { AppError } from "./errors";
import type { Api } from "./ipc";
import { Library } from "./library";

const ok: AppStatus = { ready: true, home: "/h", database: "/h/alter.db", error: null, version: "0.1.0" };
const twin = (id: string, name = id): TwinSummary => ({
  id,
  name,
  role: "",
  created_at: "2026-11-28T10:00:00Z",
  updated_at: "2026-11-28T10:00:00Z",
  score: null,
});
// Only name and role matter here; the rest stands for whatever the engine's defaults are.
const defaults = {
  name: "",
  role: "",
  greeting: "",
  tone: { casual: 0.5, detailed: 0.3 },
  languages: ["en", "zh"],
  decline_topics: [],
} as Partial<TwinParams> as TwinParams;

/** An in-memory stand-in for the Rust side with the engine's validation rule for names. */
function fakeApi(overrides: Partial<Api> = {}): Api & { created: TwinParams[] } {
  const twins: TwinSummary[] = [twin("old")];
  const created: TwinParams[] = [];
  const reject = (code: "invalid_input" | "not_found", message: string) =>
    Promise.reject(new AppError({ code, message, details: null }));
  return {
    created,
    appStatus: () => Promise.resolve(ok),
    listTwins: () => Promise.resolve([...twins]),
    getTwin: () => reject("not_found", "no twin"),
    createTwin: (params) => {
      if (params.name.trim() === "") return reject("invalid_input", "the name is empty");
      created.push(params);
      const t = twin(params.name.toLowerCase(), params.name);
      twins.unshift(t);
      return Promise.resolve(t);
    },
    updateTwin: () => reject("not_found", "no twin"),
    deleteTwin: () => Promise.resolve(null),
    defaultTwinParams: () => Promise.resolve(defaults),
    twinMaterials: () => reject("not_found", "no twin"),
    addDocuments: () => reject("not_found", "no twin"),
    removeDocument: () => reject("not_found", "no twin"),
    addVoiceSamples: () => reject("not_found", "no twin"),
    removeVoiceSample: () => reject("not_found", "no twin"),
    importFolder: () => reject("not_found", "no twin"),
    recordVoiceSample: () => reject("not_found", "no microphone"),
    stopRecording: () => Promise.resolve(),
    setAvatar: () => reject("not_found", "no twin"),
    avatarModel: () => Promise.resolve(null),
    removeAvatar: () => reject("not_found", "no twin"),
    twinPersona: () => Promise.resolve(null),
    setTwinFacts: () => reject("not_found", "no twin"),
    audioDevices: () => Promise.resolve({ inputs: [], outputs: [] }),
    appPreferences: () => Promise.resolve({ language: null, microphone: null, speaker: null }),
    setAppPreferences: (p) => Promise.resolve(p),
    buildTwin: () => reject("not_found", "no twin"),
    cancelBuild: () => Promise.resolve(false),
    askTwin: () => reject("not_found", "no twin"),
    speakReply: () => reject("not_found", "no twin"),
    endReply: () => Promise.resolve(),
    stopSpeaking: () => Promise.resolve(),
    listenForQuestion: () => reject("not_found", "no microphone"),
    stopListening: () => Promise.resolve(),
    listModels: () => Promise.resolve([]),
    importModel: () => Promise.resolve([]),
    openSource: () => Promise.resolve(null),
    ...overrides,
  };
}

describe("Library", () => {
  it("starts, loads the twins and adds a created one at the front", async () => {
    const api = fakeApi();
    const library = new Library(api);
    expect(library.state.get().phase).toBe("starting");
    await library.start();
    const ready = library.state.get();
    expect(ready).toMatchObject({ phase: "ready", loading: false, error: null });
    await library.create("Maya", "Advisor");
    const after = library.state.get();
    if (after.phase !== "ready") throw new Error("not ready");
    expect(after.twins.map((t) => t.id)).toEqual(["maya", "old"]);
    // The engine's defaults are kept; only name and role come from the form.
    expect(api.created[0]).toEqual({ ...defaults, name: "Maya", role: "Advisor" });
  });

  it("passes validation errors through and keeps the list unchanged", async () => {
    const library = new Library(fakeApi());
    await library.start();
    await expect(library.create("  ", "")).rejects.toMatchObject({ report: { code: "invalid_input" } });
    const state = library.state.get();
    expect(state.phase === "ready" && state.twins.length).toBe(1);
  });

  it("shows the start-up problem when the engine did not open", async () => {
    const broken: AppStatus = { ...ok, ready: false, error: { code: "database", message: "damaged", details: null } };
    const library = new Library(fakeApi({ appStatus: () => Promise.resolve(broken) }));
    await library.start();
    expect(library.state.get()).toEqual({ phase: "unavailable", status: broken });
  });

  it("treats a failing status call as a start-up problem, not a crash", async () => {
    const library = new Library(fakeApi({ appStatus: () => Promise.reject(new Error("ipc down")) }));
    await library.start();
    const state = library.state.get();
    expect(state.phase === "unavailable" && state.status.error?.code).toBe("internal");
  });

  it("keeps the previous list visible when a reload fails", async () => {
    let fail = false;
    const base = fakeApi();
    const library = new Library({
      ...base,
      listTwins: () => (fail ? Promise.reject(new AppError({ code: "database", message: "locked", details: null })) : base.listTwins()),
    });
    await library.start();
    fail = true;
    await library.reload();
    const state = library.state.get();
    if (state.phase !== "ready") throw new Error("not ready");
    expect(state.twins.map((t) => t.id)).toEqual(["old"]);
    expect(state.error?.code).toBe("database");
  });
});
