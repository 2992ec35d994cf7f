import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it } from "vitest";
import type { ModelView } from "../bindings";
import type { Api } from "../ipc";
import { ModelsScreen } from "./ModelsScreen";

const model = (id: string, ok: boolean, problems: string[] = []): ModelView => ({
  id,
  name: id,
  role: "llm",
  license: "Apache-2.0",
  languages: ["en"],
  user: false,
  bytes: 491_400_032,
  ok,
  state: ok ? "installed" : problems.every((p) => p.endsWith("missing")) ? "missing" : "damaged",
  problems,
});

async function mount(listModels: (verify: boolean) => Promise<ModelView[]>) {
  const root = document.createElement("div");
  document.body.append(root);
  await act(async () => {
    render(<ModelsScreen api={{ listModels } as unknown as Api} />, root);
    await Promise.resolve();
  });
  await act(() => new Promise((r) => setTimeout(r, 0)));
  return root;
}

describe("ModelsScreen", () => {
  it("lists every model with its size and state, and tells how to fix missing ones", async () => {
    const root = await mount(() => Promise.resolve([model("llm/qwen", true), model("asr/whisper", false, ["ggml-base.bin missing"])]));
    const rows = [...root.querySelectorAll("[data-testid=model-row]")];
    expect(rows.map((r) => r.getAttribute("data-state"))).toEqual(["installed", "missing"]);
    expect(rows[0]?.textContent).toContain("491 MB");
    expect(root.textContent).toContain("alter models fetch");
  });

  it("verifies on request", async () => {
    const calls: boolean[] = [];
    const root = await mount((verify) => {
      calls.push(verify);
      return Promise.resolve([model("llm/qwen", true)]);
    });
    await act(async () => {
      root.querySelector<HTMLButtonElement>("[data-testid=verify-models]")?.click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(calls).toEqual([false, true]);
    expect(root.querySelector("[data-testid=models-verified]")).not.toBeNull();
  });
});
