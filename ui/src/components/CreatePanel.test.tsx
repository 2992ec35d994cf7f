import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { locale } from "../i18n";
import { TwinMaterials } from "../materials";
import { doc, materialsApi, sample } from "../materials.fixtures";
import { CreatePanel } from "./CreatePanel";
import { meterPercent } from "./VoiceSamples";

const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

async function mount(materials: TwinMaterials) {
  const root = document.createElement("div");
  document.body.append(root);
  await act(async () => {
    render(<CreatePanel materials={materials} twinId="maya" />, root);
    await Promise.resolve();
  });
  await settle();
  return root;
}

afterEach(() => {
  document.body.innerHTML = "";
  locale.set("en");
});

describe("CreatePanel", () => {
  it("lists each document with its status and each sample with its meter and advice", async () => {
    const { api } = materialsApi({
      documents: [doc("cv.pdf"), doc("scan.pdf", "the PDF has no text layer (a scan?)")],
      samples: [sample("good.wav"), sample("quiet.wav", false)],
    });
    const root = await mount(new TwinMaterials(api, "maya"));
    const rows = [...root.querySelectorAll<HTMLElement>("[data-testid=document-row]")];
    expect(rows.map((r) => [r.dataset.name, r.dataset.status])).toEqual([
      ["cv.pdf", "ready"],
      ["scan.pdf", "error"],
    ]);
    expect(rows[0]?.textContent).toContain("3 pages");
    expect(rows[0]?.textContent).toContain("7 passages");
    expect(rows[1]?.textContent).toContain("no text layer");
    const samples = [...root.querySelectorAll<HTMLElement>("[data-testid=sample-row]")];
    expect(samples.map((s) => s.dataset.usable)).toEqual(["true", "false"]);
    expect(samples[1]?.querySelector("[data-testid=sample-advice]")?.textContent).toContain("too quiet");
    const meter = samples[0]?.querySelector<HTMLElement>("[data-testid=sample-meter]");
    expect(meter?.getAttribute("role")).toBe("meter");
    expect(meter?.dataset.value).toBe(String(meterPercent(-20)));
    expect(root.querySelector("[data-testid=materials-summary]")?.textContent).toContain("1 readable documents");
    expect(root.querySelector("[data-testid=go-build]")?.getAttribute("aria-disabled")).toBe("false");
  });

  it("imports a folder typed by keyboard and reports what was added and skipped", async () => {
    const { api } = materialsApi();
    const root = await mount(new TwinMaterials(api, "maya"));
    expect(root.querySelector("[data-testid=no-documents]")).not.toBeNull();
    expect(root.querySelector("[data-testid=go-build]")?.getAttribute("aria-disabled")).toBe("true");
    const input = root.querySelector<HTMLInputElement>("#import-folder");
    if (!input) throw new Error("no import field");
    await act(() => {
      input.value = "/data/eval";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(async () => {
      input.form?.requestSubmit();
      await Promise.resolve();
    });
    await settle();
    expect(root.querySelectorAll("[data-testid=document-row]")).toHaveLength(2);
    expect(root.querySelector("[data-testid=materials-added]")?.textContent).toContain("Added 2 documents and 1 voice samples");
    expect(root.querySelector("[data-testid=materials-added]")?.textContent).toContain("settings were applied");
  });

  it("shows an import error in place without losing the lists", async () => {
    const { api } = materialsApi({ documents: [doc("cv.pdf")], samples: [] });
    const materials = new TwinMaterials(api, "maya");
    const root = await mount(materials);
    await act(() => materials.importFolder("/nope"));
    expect(root.querySelector("[data-testid=materials-error]")?.textContent).toContain("/nope is not a folder");
    expect(root.querySelectorAll("[data-testid=document-row]")).toHaveLength(1);
  });

  it("records with a live meter and a stop button, then lists the take", async () => {
    const { api, level } = materialsApi();
    const root = await mount(new TwinMaterials(api, "maya"));
    await act(async () => {
      root.querySelector<HTMLButtonElement>("[data-testid=record-sample]")?.click();
      await Promise.resolve();
    });
    await act(() => level({ seconds: 3.2, dbfs: -18, peak: 0.5 }));
    expect(root.querySelector("[data-testid=recording]")?.textContent).toContain("Recording · 3 s");
    expect(root.querySelector<HTMLElement>("[data-testid=live-meter]")?.dataset.value).toBe(String(meterPercent(-18)));
    await act(async () => {
      root.querySelector<HTMLButtonElement>("[data-testid=stop-recording]")?.click();
      await Promise.resolve();
    });
    await settle();
    expect(root.querySelector("[data-testid=recording]")).toBeNull();
    expect(root.querySelector<HTMLElement>("[data-testid=sample-row]")?.dataset.name).toBe("recording-1.wav");
  });

  it("removes a document from its row", async () => {
    const { api } = materialsApi({ documents: [doc("a.pdf"), doc("b.pdf")], samples: [] });
    const root = await mount(new TwinMaterials(api, "maya"));
    await act(async () => {
      root.querySelector<HTMLButtonElement>("[data-name='a.pdf'] [data-testid=remove-document]")?.click();
      await Promise.resolve();
    });
    await settle();
    expect([...root.querySelectorAll<HTMLElement>("[data-testid=document-row]")].map((r) => r.dataset.name)).toEqual(["b.pdf"]);
  });

  it("speaks Chinese", async () => {
    locale.set("zh");
    const { api } = materialsApi({ documents: [doc("cv.pdf")], samples: [] });
    const root = await mount(new TwinMaterials(api, "maya"));
    expect(root.textContent).toContain("文档");
    expect(root.textContent).toContain("就绪 · 7 段");
  });
});

describe("meterPercent", () => {
  it("maps −60…0 dBFS onto 0…100 and clamps the rest", () => {
    expect(meterPercent(-60)).toBe(0);
    expect(meterPercent(-30)).toBe(50);
    expect(meterPercent(0)).toBe(100);
    expect(meterPercent(-120)).toBe(0);
    expect(meterPercent(6)).toBe(100);
    expect(meterPercent(Number.NaN)).toBe(0);
  });
});
