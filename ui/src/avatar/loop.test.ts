import { afterEach, describe, expect, it, vi } from "vitest";
import { FpsMeter, MAX_STEP_MS, startFrameLoop } from "./loop";

describe("FpsMeter", () => {
  it("reports about once a second", () => {
    const seen: number[] = [];
    const meter = new FpsMeter((fps) => seen.push(fps));
    for (let i = 0; i <= 185; i++) meter.tick(i * (1000 / 60));
    expect(seen).toEqual([60, 60, 60]);
    const slow: number[] = [];
    const meter2 = new FpsMeter((fps) => slow.push(fps));
    for (let i = 0; i <= 32; i++) meter2.tick(i * 100);
    expect(slow).toEqual([10, 10, 10]);
  });
});

describe("startFrameLoop", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("passes capped, non-negative steps and stops on request", () => {
    const queue: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => queue.push(cb));
    const cancel = vi.fn();
    vi.stubGlobal("cancelAnimationFrame", cancel);
    const steps: number[] = [];
    const stop = startFrameLoop((dt) => steps.push(dt));
    for (const now of [1000, 1016, 1010, 6000]) queue.shift()?.(now);
    expect(steps).toEqual([0, 16, 0, MAX_STEP_MS]);
    stop();
    expect(cancel).toHaveBeenCalledWith(queue.length);
    queue.shift()?.(7000);
    expect(steps).toHaveLength(4);
  });
});
