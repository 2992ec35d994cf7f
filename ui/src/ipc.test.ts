/**
 * The IPC wrappers against Tauri's own IPC mock (the real `invoke` path of
 * @tauri-apps/api and the generated bindings; only the Rust side is replaced).
 */
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { TwinParams, TwinSummary } from "./bindings";
import { AppError } from "./errors";
import { api } from "./ipc";

const maya: TwinSummary = {
  id: "maya",
  name: "Maya",
  role: "Advisor",
  created_at: "2026-11-28T10:00:00Z",
  updated_at: "2026-11-28T10:00:00Z",
  score: null,
};

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a rejection");
}

describe("api", () => {
  afterEach(() => clearMocks());

  it("passes arguments by the Rust parameter names and returns the data", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "create_twin") return { ...maya, name: (args as { params: TwinParams }).params.name };
      if (cmd === "get_twin") return { summary: maya, params: { name: "Maya" } };
      if (cmd === "list_twins") return [maya];
      return null;
    });
    const params = { name: "Maya O.", role: "", greeting: "", tone: { casual: 0.5, detailed: 0.3 }, languages: [], decline_topics: [] } as Partial<TwinParams> as TwinParams;
    expect((await api.createTwin(params)).name).toBe("Maya O.");
    expect(await api.listTwins()).toEqual([maya]);
    expect((await api.getTwin("maya")).summary).toEqual(maya);
    expect(await api.deleteTwin("maya")).toBeNull();
    expect(calls).toEqual([
      ["create_twin", { params }],
      ["list_twins", {}],
      ["get_twin", { id: "maya" }],
      ["delete_twin", { id: "maya" }],
    ]);
  });

  it("rejects with the engine's typed report", async () => {
    mockIPC(() => {
      throw { code: "invalid_input", message: "the name is empty", details: null };
    });
    const err = await rejection(api.createTwin({} as TwinParams));
    expect(err.report).toEqual({ code: "invalid_input", message: "the name is empty", details: null });
    expect(err.message).toBe("the name is empty");
  });

  it("keeps not_found for unknown ids and survives a 10 MB id", async () => {
    mockIPC((_cmd, args) => {
      const id = (args as { id: string }).id;
      throw id.length > 64
        ? { code: "invalid_input", message: "twin id is not valid", details: null }
        : { code: "not_found", message: `no twin with id "${id}"`, details: null };
    });
    expect((await rejection(api.getTwin("nobody"))).report.code).toBe("not_found");
    expect((await rejection(api.updateTwin("x".repeat(10 << 20), {} as TwinParams))).report.code).toBe("invalid_input");
  });

  it("turns Tauri's untyped failures into reports", async () => {
    mockIPC(() => {
      throw "invalid args `params` for command `create_twin`: missing field `name`";
    });
    expect((await rejection(api.createTwin({} as TwinParams))).report.code).toBe("invalid_input");
    mockIPC(() => {
      throw new Error("transport closed");
    });
    expect((await rejection(api.listTwins())).report).toMatchObject({ code: "internal", message: "transport closed" });
  });

  it("reports app status without unwrapping", async () => {
    const status = { ready: false, home: "/h", database: "/h/alter.db", version: "0.1.0", error: { code: "database", message: "damaged", details: null } };
    mockIPC((cmd) => (cmd === "app_status" ? status : null));
    expect(await api.appStatus()).toEqual(status);
  });
});
