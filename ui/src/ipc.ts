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
  AnswerUpdate,
  AnswerView,
  AppStatus,
  BuildSummary,
  ErrorReport,
  PlaybackUpdate,
  BuildProgress,
  HeardView,
  ListenUpdate,
  ModelView,
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
  buildTwin: (id: string, folder: string, onProgress: (p: BuildProgress) => void): Promise<BuildSummary> =>
    unwrap(() => commands.buildTwin(id, folder, channel(onProgress))),
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
  listenForQuestion: (onUpdate: (u: ListenUpdate) => void): Promise<HeardView> =>
    unwrap(() => commands.listenForQuestion(channel(onUpdate))),
  stopListening: (): Promise<void> => direct(() => commands.stopListening()),
  listModels: (verify: boolean): Promise<ModelView[]> => unwrap(() => commands.listModels(verify)),
  openSource: (id: string, file: string): Promise<null> => unwrap(() => commands.openSource(id, file)),
};

/** A channel the Rust side streams on; each message goes to `listener`. */
function channel<T>(listener: (message: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = listener;
  return ch;
}

export type Api = typeof api;
