/**
 * Test stand-ins for a twin's materials: documents, samples, and an
 * in-memory twin folder behind the materials commands.
 */
import type { DocumentView, LevelView, MaterialsView, SampleView } from "./bindings";
import { AppError } from "./errors";
import type { Api } from "./ipc";

export const doc = (name: string, error: string | null = null): DocumentView => ({
  name,
  bytes: 12_000,
  kind: error ? null : "pdf",
  pages: error ? null : 3,
  rows: null,
  chunks: error ? 0 : 7,
  notes: [],
  error: error ? { code: "corrupt", message: error } : null,
});

export const sample = (name: string, usable = true): SampleView => ({
  name,
  bytes: 640_000,
  quality: {
    seconds: 20,
    speech_dbfs: usable ? -20 : -50,
    noise_floor_dbfs: -60,
    snr_db: usable ? 40 : 5,
    clipping_ratio: 0,
    speech_ratio: 0.8,
    usable,
    advice: usable ? [] : [{ kind: "too_quiet", message: "too quiet: move closer to the microphone" }],
  },
  error: null,
});

/** An in-memory twin folder behind the materials commands. */
export function materialsApi(start: MaterialsView = { documents: [], samples: [] }) {
  const m: MaterialsView = { documents: [...start.documents], samples: [...start.samples] };
  let levels: ((l: LevelView) => void) | null = null;
  let finishTake: (() => void) | null = null;
  const calls: string[] = [];
  const api = {
    twinMaterials: () => Promise.resolve({ documents: [...m.documents], samples: [...m.samples] }),
    addDocuments: (_id: string, paths: string[]) => {
      calls.push(`docs:${paths.join(",")}`);
      const added = paths.filter((p) => !p.includes("missing")).map((p) => doc(p.split("/").pop() ?? p));
      m.documents.push(...added);
      const skipped = paths.filter((p) => p.includes("missing")).map((path) => ({ path, reason: "no such file" }));
      return Promise.resolve({ added, skipped });
    },
    addVoiceSamples: (_id: string, paths: string[]) => {
      calls.push(`voice:${paths.join(",")}`);
      const added = paths.map((p) => sample(p.split("/").pop() ?? p));
      m.samples.push(...added);
      return Promise.resolve({ added, skipped: [] });
    },
    removeDocument: (_id: string, name: string) => {
      const before = m.documents.length;
      m.documents = m.documents.filter((d) => d.name !== name);
      return m.documents.length < before
        ? Promise.resolve(null)
        : Promise.reject(new AppError({ code: "invalid_input", message: `there is no file named "${name}" here`, details: null }));
    },
    removeVoiceSample: (_id: string, name: string) => {
      m.samples = m.samples.filter((s) => s.name !== name);
      return Promise.resolve(null);
    },
    importFolder: (_id: string, folder: string) => {
      if (folder === "/nope") {
        return Promise.reject(new AppError({ code: "invalid_input", message: "/nope is not a folder", details: null }));
      }
      const documents = [doc("profile.md"), doc("broken.pdf", "the PDF is damaged")];
      const samples = [sample("maya_1.wav")];
      m.documents.push(...documents);
      m.samples.push(...samples);
      return Promise.resolve({
        documents: { added: documents, skipped: [] },
        samples: { added: samples, skipped: [] },
        settings_applied: true,
      });
    },
    recordVoiceSample: (_id: string, onLevel: (l: LevelView) => void) => {
      levels = onLevel;
      return new Promise<SampleView>((resolve) => {
        finishTake = () => {
          const take = sample("recording-1.wav");
          m.samples.push(take);
          resolve(take);
        };
      });
    },
    stopRecording: () => {
      calls.push("stop");
      finishTake?.();
      return Promise.resolve();
    },
  } as unknown as Api;
  return { api, calls, level: (l: LevelView) => levels?.(l), state: m };
}

