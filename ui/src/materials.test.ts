import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import type { Api } from "./ipc";
import { LEVEL_HISTORY, TwinMaterials } from "./materials";
import { doc, materialsApi } from "./materials.fixtures";

describe("TwinMaterials", () => {
  it("loads, adds documents and samples, and shows what was left out", async () => {
    const { api } = materialsApi({ documents: [doc("cv.pdf")], samples: [] });
    const materials = new TwinMaterials(api, "maya");
    await materials.load();
    expect(materials.state.get().documents.map((d) => d.name)).toEqual(["cv.pdf"]);
    await materials.addDocuments(["/home/maya/report.pdf", "/home/maya/missing.docx"]);
    const s = materials.state.get();
    expect(s.documents.map((d) => d.name)).toEqual(["cv.pdf", "report.pdf"]);
    expect(s.skipped).toEqual([{ path: "/home/maya/missing.docx", reason: "no such file" }]);
    expect(s.lastAdded).toEqual({ documents: 1, samples: 0, settings: false });
    expect(s.busy).toBe(false);
    await materials.addVoiceSamples(["/home/maya/hello.wav"]);
    expect(materials.state.get().samples.map((x) => x.name)).toEqual(["hello.wav"]);
  });

  it("imports a folder, counts readable documents, and removes", async () => {
    const { api } = materialsApi();
    const materials = new TwinMaterials(api, "maya");
    await materials.importFolder("/data/eval");
    expect(materials.state.get().lastAdded).toEqual({ documents: 2, samples: 1, settings: true });
    expect(materials.readableDocuments).toBe(1);
    await materials.removeDocument("broken.pdf");
    expect(materials.state.get().documents.map((d) => d.name)).toEqual(["profile.md"]);
  });

  it("keeps the lists when a call fails and says why", async () => {
    const { api } = materialsApi({ documents: [doc("cv.pdf")], samples: [] });
    const materials = new TwinMaterials(api, "maya");
    await materials.load();
    await materials.importFolder("/nope");
    await materials.removeDocument("../etc/passwd");
    const s = materials.state.get();
    expect(s.documents.map((d) => d.name)).toEqual(["cv.pdf"]);
    expect(s.error?.message).toContain("no file named");
    expect(s.busy).toBe(false);
  });

  it("does nothing for an empty choice", async () => {
    const { api, calls } = materialsApi();
    const materials = new TwinMaterials(api, "maya");
    await materials.addDocuments([]);
    await materials.addVoiceSamples([]);
    expect(calls).toEqual([]);
  });

  it("records with a live level and adds the take when stopped", async () => {
    const { api, level, calls } = materialsApi();
    const materials = new TwinMaterials(api, "maya");
    const take = materials.record();
    expect(materials.state.get().recording).toMatchObject({ seconds: 0, stopping: false });
    for (let i = 1; i <= LEVEL_HISTORY + 20; i++) level({ seconds: i / 10, dbfs: -20 - (i % 5), peak: 0.4 });
    const live = materials.state.get().recording;
    expect(live?.seconds).toBeCloseTo(12);
    expect(live?.history).toHaveLength(LEVEL_HISTORY);
    void materials.record(); // A second Record while recording is ignored.
    await materials.stopRecording();
    await take;
    const s = materials.state.get();
    expect(s.recording).toBeNull();
    expect(s.samples.map((x) => x.name)).toEqual(["recording-1.wav"]);
    expect(calls.filter((c) => c === "stop")).toHaveLength(1);
  });

  it("reports a failed recording and is ready to record again", async () => {
    const { api } = materialsApi();
    const failing = {
      ...api,
      recordVoiceSample: () =>
        Promise.reject(new AppError({ code: "io", message: "no microphone was found", details: null })),
    } as Api;
    const materials = new TwinMaterials(failing, "maya");
    await materials.record();
    expect(materials.state.get().recording).toBeNull();
    expect(materials.state.get().error?.message).toBe("no microphone was found");
  });
});
