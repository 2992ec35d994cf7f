import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { locale } from "../../i18n";
import { seededRandom } from "../idle";
import { VisemeScheduler } from "../visemes";
import { VrmError } from "./errors";
import type { VrmStage } from "./stage";
import { createStage } from "./stage";
import { vrmMessages } from "./strings";
import { makeTestVrm } from "./testVrm";
import type { VrmAvatarProps } from "./VrmAvatar";
import { VrmAvatar } from "./VrmAvatar";

// The renderer needs real WebGL; here a stand-in records what the component hands it.
vi.mock("./stage", () => ({ createStage: vi.fn() }));
const mockedCreateStage = vi.mocked(createStage);

/** A hand-cranked requestAnimationFrame. */
let pending = new Map<number, FrameRequestCallback>();
let nextId = 1;
const raf = vi.fn((cb: FrameRequestCallback) => {
  const id = nextId++;
  pending.set(id, cb);
  return id;
});
const caf = vi.fn((id: number) => {
  pending.delete(id);
});

function runFrame(now: number) {
  const callbacks = [...pending.values()];
  pending = new Map();
  void act(() => {
    for (const cb of callbacks) cb(now);
  });
}

function fakeStage() {
  const draw = vi.fn<VrmStage["draw"]>();
  const dispose = vi.fn<VrmStage["dispose"]>();
  const stage: VrmStage = { vrm: {} as VrmStage["vrm"], draw, dispose };
  return { stage, draw, dispose };
}

/** Makes the canvas report a WebGL 2 context, as a real webview would. */
function withWebgl() {
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(((kind: string) =>
    kind === "webgl2" ? ({} as WebGL2RenderingContext) : null) as HTMLCanvasElement["getContext"]);
}

const bytes = makeTestVrm();

function mount(props: Partial<VrmAvatarProps> = {}) {
  const root = document.createElement("div");
  document.body.append(root);
  const all: VrmAvatarProps = { vrm: bytes, emotion: "neutral", name: "Maya", random: seededRandom(1), ...props };
  void act(() => render(<VrmAvatar {...all} />, root));
  const avatar = () => root.querySelector<HTMLElement>('[data-testid="vrm-avatar"]')!;
  const rerender = (more: Partial<VrmAvatarProps>) => void act(() => render(<VrmAvatar {...all} {...more} />, root));
  return { root, avatar, rerender, unmount: () => void act(() => render(null, root)) };
}

async function settle(avatar: () => HTMLElement, status: string) {
  await vi.waitFor(() => expect(avatar().dataset.status).toBe(status));
}

describe("VrmAvatar", () => {
  beforeEach(() => {
    pending = new Map();
    nextId = 1;
    raf.mockClear();
    caf.mockClear();
    mockedCreateStage.mockReset();
    vi.stubGlobal("requestAnimationFrame", raf);
    vi.stubGlobal("cancelAnimationFrame", caf);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    locale.set("en");
    document.body.innerHTML = "";
  });

  it("shows a clear message, and loads nothing, where WebGL is unavailable", () => {
    const onStatus = vi.fn();
    const { avatar } = mount({ onStatus });
    expect(avatar().dataset.status).toBe("unavailable");
    const message = avatar().querySelector('[data-testid="vrm-unavailable"]');
    expect(message?.textContent).toBe(vrmMessages.en["vrm.unavailable"]);
    expect(avatar().querySelector("canvas")?.style.display).toBe("none");
    expect(onStatus).toHaveBeenLastCalledWith("unavailable", undefined);
    expect(mockedCreateStage).not.toHaveBeenCalled();
    expect(raf).not.toHaveBeenCalled();
  });

  it("says so in Chinese too", () => {
    locale.set("zh");
    const { avatar } = mount();
    expect(avatar().querySelector('[data-testid="vrm-unavailable"]')?.textContent).toBe(vrmMessages.zh["vrm.unavailable"]);
  });

  it("draws the driven frames and exposes the mouth on its root", async () => {
    withWebgl();
    const { stage, draw } = fakeStage();
    mockedCreateStage.mockResolvedValue(stage);
    const onStatus = vi.fn();
    const { avatar, rerender } = mount({ onStatus });
    expect(avatar().dataset.status).toBe("loading");
    await settle(avatar, "ready");

    expect(mockedCreateStage).toHaveBeenCalledWith(avatar().querySelector("canvas"), expect.anything(), bytes);
    expect(onStatus).toHaveBeenLastCalledWith("ready", undefined);
    expect(avatar().dataset.viseme).toBe("rest");
    expect(avatar().dataset.mouthOpen).toBe("0.03");
    expect(avatar().querySelector("canvas")?.getAttribute("aria-label")).toBe("Maya's avatar");
    expect(draw).toHaveBeenCalledTimes(1);
    expect(raf).toHaveBeenCalledTimes(1);

    const scheduler = new VisemeScheduler();
    scheduler.load([{ viseme: "aa", start_ms: 0, end_ms: 400 }]);
    let clock = 200;
    scheduler.start(() => clock);
    rerender({ scheduler, emotion: "happy" });
    runFrame(1000);
    runFrame(1016);
    expect(avatar().dataset.viseme).toBe("aa");
    expect(avatar().dataset.mouthOpen).toBe("0.85");
    expect(avatar().querySelector("canvas")?.getAttribute("aria-label")).toBe("Maya's avatar, speaking");
    const [frame, expression, dt] = draw.mock.calls.at(-1)!;
    expect(frame.mouth.viseme).toBe("aa");
    expect(expression.smile).toBeGreaterThan(0.12);
    expect(dt).toBe(16);

    clock = 1000;
    runFrame(1032);
    expect(avatar().dataset.viseme).toBe("rest");
  });

  it("stops the loop and frees the avatar when unmounted", async () => {
    withWebgl();
    const { stage, dispose } = fakeStage();
    mockedCreateStage.mockResolvedValue(stage);
    const { avatar, unmount } = mount();
    await settle(avatar, "ready");
    unmount();
    expect(caf).toHaveBeenCalled();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(pending.size).toBe(0);
  });

  it("frees an avatar that finishes loading after it was unmounted", async () => {
    withWebgl();
    const { stage, dispose } = fakeStage();
    let finish: (s: VrmStage) => void = () => {};
    mockedCreateStage.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const { unmount } = mount();
    await vi.waitFor(() => expect(mockedCreateStage).toHaveBeenCalled());
    unmount();
    finish(stage);
    await vi.waitFor(() => expect(dispose).toHaveBeenCalledTimes(1));
    expect(raf).not.toHaveBeenCalled();
  });

  it.each([
    [new VrmError("truncated"), "truncated"],
    [new Error("three.js could not parse a buffer"), "unreadable"],
  ])("explains a file it cannot show (%s)", async (error, code) => {
    withWebgl();
    mockedCreateStage.mockRejectedValue(error);
    const onStatus = vi.fn();
    const { avatar } = mount({ onStatus });
    await settle(avatar, "failed");
    const message = avatar().querySelector('[data-testid="vrm-failed"]');
    expect(message?.getAttribute("data-code")).toBe(code);
    expect(message?.getAttribute("role")).toBe("alert");
    expect(message?.textContent).toBe(vrmMessages.en[`vrm.error.${code}` as keyof typeof vrmMessages.en]);
    expect(onStatus).toHaveBeenLastCalledWith("failed", expect.objectContaining({ code }));
    expect(raf).not.toHaveBeenCalled();
  });
});
