import { describe, expect, it } from "vitest";
import { LipSyncMeter, MAX_SAMPLES } from "./lipSync";

describe("LipSyncMeter", () => {
  it("measures how far the drawn position is from the heard one", () => {
    let wall = 1_000_000;
    const meter = new LipSyncMeter(() => wall);
    expect(meter.summary()).toBeNull();
    meter.onReport({ kind: "started", duration_ms: 2000, silent_reason: null });
    meter.onFrame(0); // No position yet: nothing to compare with.
    meter.onReport({ kind: "position", ms: 100, at_unix_ms: wall });
    wall += 16;
    meter.onFrame(116); // Exactly in step.
    wall += 16;
    meter.onFrame(120); // 12 ms behind the sound.
    wall += 16;
    meter.onFrame(158); // 10 ms ahead.
    const s = meter.summary();
    expect(s?.frames).toBe(3);
    expect(s?.p50AbsMs).toBe(10);
    expect(s?.p95AbsMs).toBe(12);
    expect(s?.meanMs).toBeCloseTo(-2 / 3);
  });

  it("ignores frames after the reply ends and bad numbers, and keeps memory bounded", () => {
    let wall = 0;
    const meter = new LipSyncMeter(() => wall);
    meter.onReport({ kind: "started", duration_ms: 1e9, silent_reason: null });
    meter.onReport({ kind: "position", ms: 0, at_unix_ms: 0 });
    for (let i = 0; i < MAX_SAMPLES + 500; i++) {
      wall = i;
      meter.onFrame(i);
    }
    meter.onFrame(Number.NaN);
    meter.onReport({ kind: "position", ms: Number.NaN, at_unix_ms: 5 });
    expect(meter.summary()?.frames).toBe(MAX_SAMPLES);
    meter.onReport({ kind: "stopped", at_ms: 10 });
    meter.onFrame(20);
    expect(meter.summary()?.frames).toBe(MAX_SAMPLES);
    meter.reset();
    expect(meter.summary()).toBeNull();
  });
});
