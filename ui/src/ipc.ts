/**
 * Typed calls into the Rust app. Screens use these, never `invoke` directly.
 *
 * Invariant: every function resolves with data or rejects with an `AppError`
 * whose `report` is a well-formed `ErrorReport` (see `errors.ts`), whether the
 * failure came from the engine, from Tauri, or from the transport.
 */
import { commands } from "./bindings";
import type { AppStatus, ErrorReport, TwinDetails, TwinParams, TwinSummary } from "./bindings";
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
};

export type Api = typeof api;
