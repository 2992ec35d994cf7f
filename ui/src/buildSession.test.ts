import { describe, expect, it } from "vitest";
import type { BuildProgress, BuildSummary } from "./bindings";
import { BuildSession } from "./buildSession";
import { AppError } from "./errors";
import type { Api } from "./ipc";

const summary: BuildSummary = {
  twin_id: "maya",
  seconds: 42,
  stages: [],
  documents: 4,
  chunks: 4,
  failed_files: [],
  warnings: [],
  report: { score: 0.9, answer_accuracy: 0.8, citation_correct: 1, decline_rate: 1, style_score: null, voice_similarity: null, questions: [] },
};

/** A build the test drives by hand: reports progress, then ends as told. */
function controlledApi() {
  let report: (p: BuildProgress) => void = () => undefined;
  let finish: (r: BuildSummary | AppError) => void = () => undefined;
  const cancelled: string[] = [];
  const api = {
    buildTwin: (_id: string, onProgress: (p: BuildProgress) => void) =>
      new Promise<BuildSummary>((resolve, reject) => {
        report = onProgress;
        finish = (r) => (r instanceof AppError ? reject(r) : resolve(r));
      }),
    cancelBuild: (id: string) => {
      cancelled.push(id);
      return Promise.resolve(true);
    },
  } as unknown as Api;
  return { api, report: (p: BuildProgress) => report(p), finish: (r: BuildSummary | AppError) => finish(r), cancelled };
}

const progress = (stage: string, done: number, total: number, item: string | null = null): BuildProgress => ({ stage, done, total, item });

describe("BuildSession", () => {
  it("shows each stage's progress and marks earlier stages done", async () => {
    let now = 0;
    const c = controlledApi();
    const session = new BuildSession(c.api, "maya", () => now);
    const running = session.start();
    c.report(progress("ingest", 1, 4, "a.pdf"));
    now = 1000;
    c.report(progress("ingest", 2, 4, "b.docx"));
    let s = session.state.get();
    if (s.phase !== "running") throw new Error(s.phase);
    expect(s.stages[0]).toMatchObject({ name: "ingest", fraction: 0.5, item: "b.docx", done: false });
    expect(s.stages[0]?.etaSeconds).toBeCloseTo(1, 5);
    // A late, smaller report never moves the bar back; unknown stages are ignored.
    c.report(progress("ingest", 1, 4));
    c.report(progress("bogus", 1, 1));
    c.report(progress("persona", 0, 0));
    s = session.state.get();
    if (s.phase !== "running") throw new Error(s.phase);
    expect(s.stages.map((x) => x.done)).toEqual([true, true, false, false]);
    c.finish(summary);
    await running;
    s = session.state.get();
    expect(s.phase).toBe("done");
    if (s.phase === "done") expect(s.stages.every((x) => x.done)).toBe(true);
  });

  it("treats a cancel as resumable, not as a failure", async () => {
    const c = controlledApi();
    const session = new BuildSession(c.api, "maya");
    const running = session.start();
    await session.cancel();
    expect(c.cancelled).toEqual(["maya"]);
    c.finish(new AppError({ code: "cancelled", message: "cancelled", details: null }));
    await running;
    expect(session.state.get().phase).toBe("cancelled");
  });

  it("keeps the engine's message when the build fails", async () => {
    const c = controlledApi();
    const session = new BuildSession(c.api, "maya");
    const running = session.start();
    c.finish(new AppError({ code: "not_found", message: "/missing does not exist", details: null }));
    await running;
    const s = session.state.get();
    expect(s.phase === "failed" && s.error.message).toBe("/missing does not exist");
  });
});
