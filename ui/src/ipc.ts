/**
 * Typed calls into the Rust app. Screens use these, never `invoke` directly.
 *
 * Invariant: every function resolves with data or rejects with an `AppError`
 * whose `report` is a well-formed `ErrorReport` (see `errors.ts`), whether the
 * failure came from the engine, from Tauri, or from the transport.
 */
import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type {
  AddedDocuments,
  AddedSamples,
  AnswerUpdate,
  AnswerView,
  AppStatus,
  BuildSummary,
  ErrorReport,
  PlaybackUpdate,
  BuildProgress,
  DevicesView,
  HeardView,
  ImportedView,
  LevelView,
  ListenUpdate,
  MaterialsView,
  ModelView,
  PersonaView,
  Preferences,
  SampleView,
  SpokenReply,
  TwinDetails,
  TwinParams,
  TwinSummary,
} from "./bindings";
import { AppError, toReport } from "./errors";

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: ErrorReport };

async function unwrap<T>(call: () => Promise<CommandResult<T>>): Promise<T> {
  let result: CommandResult<T>;
  try {
    result = await call();
  } catch (error) {
    throw new AppError(toReport(error));
  }
  if (result.status === "ok") return result.data;
  throw new AppError(toReport(result.error));
}

async function direct<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AppError(toReport(error));
  }
}

export const api = {
  appStatus: (): Promise<AppStatus> => direct(() => commands.appStatus()),
  listTwins: (): Promise<TwinSummary[]> => unwrap(() => commands.listTwins()),
  getTwin: (id: string): Promise<TwinDetails> => unwrap(() => commands.getTwin(id)),
  createTwin: (params: TwinParams): Promise<TwinSummary> => unwrap(() => commands.createTwin(params)),
  updateTwin: (id: string, params: TwinParams): Promise<TwinSummary> =>
    unwrap(() => commands.updateTwin(id, params)),
  deleteTwin: (id: string): Promise<null> => unwrap(() => commands.deleteTwin(id)),
  defaultTwinParams: (): Promise<TwinParams> => direct(() => commands.defaultTwinParams()),
  twinMaterials: (id: string): Promise<MaterialsView> => unwrap(() => commands.twinMaterials(id)),
  addDocuments: (id: string, paths: string[]): Promise<AddedDocuments> =>
    unwrap(() => commands.addTwinDocuments(id, paths)),
  removeDocument: (id: string, name: string): Promise<null> => unwrap(() => commands.removeTwinDocument(id, name)),
  addVoiceSamples: (id: string, paths: string[]): Promise<AddedSamples> =>
    unwrap(() => commands.addTwinVoiceSamples(id, paths)),
  removeVoiceSample: (id: string, name: string): Promise<null> =>
    unwrap(() => commands.removeTwinVoiceSample(id, name)),
  importFolder: (id: string, folder: string): Promise<ImportedView> => unwrap(() => commands.importTwinFolder(id, folder)),
  recordVoiceSample: (id: string, onLevel: (l: LevelView) => void): Promise<SampleView> =>
    unwrap(() => commands.recordVoiceSample(id, channel(onLevel))),
  stopRecording: (): Promise<void> => direct(() => commands.stopRecording()),
  setAvatar: (id: string, path: string): Promise<TwinParams> => unwrap(() => commands.setTwinAvatar(id, path)),
  avatarModel: (id: string): Promise<string | null> => unwrap(() => commands.twinAvatarModel(id)),
  removeAvatar: (id: string): Promise<TwinParams> => unwrap(() => commands.removeTwinAvatar(id)),
  twinPersona: (id: string): Promise<PersonaView | null> => unwrap(() => commands.twinPersona(id)),
  setTwinFacts: (id: string, kind: string, values: string[] | null): Promise<TwinParams> =>
    unwrap(() => commands.setTwinFacts(id, kind, values)),
  audioDevices: (): Promise<DevicesView> => direct(() => commands.audioDevices()),
  appPreferences: (): Promise<Preferences> => unwrap(() => commands.appPreferences()),
  setAppPreferences: (preferences: Preferences): Promise<Preferences> =>
    unwrap(() => commands.setAppPreferences(preferences)),
  buildTwin: (id: string, onProgress: (p: BuildProgress) => void): Promise<BuildSummary> =>
    unwrap(() => commands.buildTwin(id, channel(onProgress))),
  cancelBuild: (id: string): Promise<boolean> => unwrap(() => commands.cancelBuild(id)),
  askTwin: (id: string, question: string, onUpdate: (u: AnswerUpdate) => void): Promise<AnswerView> =>
    unwrap(() => commands.askTwin(id, question, channel(onUpdate))),
  speakReply: (
    id: string,
    text: string,
    append: boolean,
    onPlayback: (u: PlaybackUpdate) => void,
  ): Promise<SpokenReply> => unwrap(() => commands.speakReply(id, text, append, channel(onPlayback))),
  endReply: (): Promise<void> => direct(() => commands.endReply()),
  stopSpeaking: (): Promise<void> => direct(() => commands.stopSpeaking()),
  listenForQuestion: (twinId: string, bargeIn: boolean, onUpdate: (u: ListenUpdate) => void): Promise<HeardView> =>
    unwrap(() => commands.listenForQuestion(twinId, bargeIn, channel(onUpdate))),
  stopListening: (): Promise<void> => direct(() => commands.stopListening()),
  listModels: (verify: boolean): Promise<ModelView[]> => unwrap(() => commands.listModels(verify)),
  importModel: (path: string): Promise<ModelView[]> => unwrap(() => commands.importModel(path)),
  openSource: (id: string, file: string, location: string | null): Promise<null> =>
    unwrap(() => commands.openSource(id, file, location)),
};

/** A channel the Rust side streams on; each message goes to `listener`. */
function channel<T>(listener: (message: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = listener;
  return ch;
}

export type Api = typeof api;
