import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_APPEARANCE } from "./appearance";
import { Avatar } from "./Avatar";
import type { AvatarProps } from "./Avatar";
import { seededRandom } from "./idle";
import { VisemeScheduler } from "./visemes";

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

function mount(props: Partial<AvatarProps> = {}) {
  const root = document.createElement("div");
  document.body.append(root);
  const all: AvatarProps = {
    appearance: DEFAULT_APPEARANCE,
    emotion: "neutral",
    name: "Maya",
    random: seededRandom(1),
    ...props,
  };
  void act(() => render(<Avatar {...all} />, root));
  const svg = () => root.querySelector("svg")!;
  const rerender = (more: Partial<AvatarProps>) => void act(() => render(<Avatar {...all} {...more} />, root));
  return { root, svg, rerender, unmount: () => void act(() => render(null, root)) };
}

describe("Avatar", () => {
  beforeEach(() => {
    pending = new Map();
    nextId = 1;
    raf.mockClear();
    caf.mockClear();
    vi.stubGlobal("requestAnimationFrame", raf);
    vi.stubGlobal("cancelAnimationFrame", caf);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("renders a labelled, scalable SVG with the mouth at rest", () => {
    const { svg } = mount();
    expect(svg().getAttribute("role")).toBe("img");
    expect(svg().getAttribute("aria-label")).toBe("Maya's avatar");
    expect(svg().getAttribute("viewBox")).toBe("0 0 200 220");
    expect(svg().hasAttribute("width")).toBe(false);
    expect(svg().getAttribute("data-viseme")).toBe("rest");
    expect(svg().getAttribute("data-mouth-open")).toBe("0.03");
    expect(raf).toHaveBeenCalledTimes(1);
  });

  it("says when it listens", () => {
    const { svg, rerender } = mount({ listening: true });
    expect(svg().getAttribute("aria-label")).toBe("Maya's avatar, listening");
    rerender({ listening: false });
    expect(svg().getAttribute("aria-label")).toBe("Maya's avatar");
  });

  it("moves the mouth with the audio clock and says it is speaking", () => {
    const scheduler = new VisemeScheduler();
    scheduler.load([
      { viseme: "aa", start_ms: 0, end_ms: 200 },
      { viseme: "ou", start_ms: 200, end_ms: 400 },
    ]);
    let audioMs = 100;
    scheduler.start(() => audioMs);
    const { svg } = mount({ scheduler });
    expect(svg().getAttribute("data-viseme")).toBe("aa");
    expect(svg().getAttribute("data-mouth-open")).toBe("0.85");
    expect(svg().getAttribute("aria-label")).toBe("Maya's avatar, speaking");

    audioMs = 300;
    runFrame(1000);
    expect(svg().getAttribute("data-viseme")).toBe("ou");
    expect(svg().getAttribute("data-mouth-open")).toBe("0.30");

    audioMs = 1000;
    runFrame(1016);
    expect(svg().getAttribute("data-viseme")).toBe("rest");
    expect(svg().getAttribute("aria-label")).toBe("Maya's avatar");

    scheduler.stop();
    runFrame(1032);
    expect(svg().getAttribute("data-mouth-open")).toBe("0.03");
  });

  it("follows a new scheduler without restarting the loop", () => {
    const { svg, rerender } = mount();
    const scheduler = new VisemeScheduler();
    scheduler.load([{ viseme: "oh", start_ms: 0, end_ms: 500 }]);
    scheduler.start(() => 250);
    rerender({ scheduler });
    runFrame(16);
    expect(svg().getAttribute("data-viseme")).toBe("oh");
    expect(raf).toHaveBeenCalledTimes(2);
    expect(caf).not.toHaveBeenCalled();
  });

  it("reports the frame rate about once a second", () => {
    const onFps = vi.fn();
    mount({ onFps });
    for (let i = 0; i <= 62; i++) runFrame(i * (1000 / 60));
    expect(onFps).toHaveBeenCalledTimes(1);
    expect(onFps.mock.calls[0]![0]).toBeCloseTo(60, 0);
  });

  it("stops its animation frame on unmount", () => {
    const { unmount } = mount();
    runFrame(0);
    runFrame(16);
    expect(pending.size).toBe(1);
    const [lastId] = [...pending.keys()];
    const requests = raf.mock.calls.length;
    unmount();
    expect(caf).toHaveBeenCalledWith(lastId);
    expect(pending.size).toBe(0);
    expect(raf.mock.calls.length).toBe(requests);
  });

  it("never puts untrusted appearance strings into the SVG", () => {
    const hostile = {
      ...DEFAULT_APPEARANCE,
      skin_tone: "red;} body{display:none",
      hair_color: '"><script>alert(1)</script>',
      hair_style: "long",
    };
    const { root } = mount({ appearance: hostile as typeof DEFAULT_APPEARANCE });
    const html = root.innerHTML;
    expect(html).not.toContain("display:none");
    expect(html).not.toContain("script");
    expect(html).toContain(DEFAULT_APPEARANCE.skin_tone);
  });

  it("draws every face shape, hair style and clothing without NaN", () => {
    for (const face_shape of ["oval", "round", "square"] as const) {
      for (const hair_style of ["short", "long", "bun", "bald", "curly"] as const) {
        for (const clothing of ["blazer", "sweater", "shirt"] as const) {
          const { root, unmount } = mount({
            appearance: { ...DEFAULT_APPEARANCE, face_shape, hair_style, clothing, glasses: true },
            emotion: "surprised",
            userEmotion: "anxious",
          });
          runFrame(16);
          expect(root.innerHTML).not.toMatch(/NaN|undefined|Infinity/);
          unmount();
        }
      }
    }
  });

  it("has no name in its label when it has none", () => {
    const { svg } = mount({ name: "  " });
    expect(svg().getAttribute("aria-label")).toBe("Avatar");
  });
});
