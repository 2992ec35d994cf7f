import { describe, expect, it } from "vitest";
import { PlaybackClock } from "./playbackClock";

function clockAt() {
  let t = 1000;
  const clock = new PlaybackClock(
    () => t,
    () => t,
  );
  return { clock, advance: (ms: number) => (t += ms), t: () => t };
}

describe("PlaybackClock", () => {
  it("counts the time a report spent travelling, unless its stamp is implausible", () => {
    const { clock, advance, t } = clockAt();
    clock.apply({ kind: "started", duration_ms: 5000, silent_reason: null });
    clock.apply({ kind: "position", ms: 1000, at_unix_ms: t() - 40 });
    expect(clock.now()).toBe(1040);
    advance(10);
    clock.apply({ kind: "position", ms: 1100, at_unix_ms: t() - 60_000 });
    expect(clock.now()).toBe(1100);
    advance(10);
    clock.apply({ kind: "position", ms: 1200, at_unix_ms: t() + 500 });
    expect(clock.now()).toBe(1200);
  });

  it("extrapolates between reports and stops at the duration", () => {
    const { clock, advance, t } = clockAt();
    clock.apply({ kind: "started", duration_ms: 500, silent_reason: null });
    advance(50);
    expect(clock.now()).toBe(50);
    clock.apply({ kind: "position", ms: 120, at_unix_ms: t() });
    advance(30);
    expect(clock.now()).toBe(150);
    advance(10_000);
    expect(clock.now()).toBe(500);
  });

  it("does not run backwards on a late report", () => {
    const { clock, advance, t } = clockAt();
    clock.apply({ kind: "started", duration_ms: 1000, silent_reason: null });
    advance(200);
    clock.apply({ kind: "position", ms: 150, at_unix_ms: t() });
    expect(clock.now()).toBe(200);
  });

  it("holds still after a stop", () => {
    const { clock, advance } = clockAt();
    clock.apply({ kind: "started", duration_ms: 1000, silent_reason: null });
    advance(300);
    clock.apply({ kind: "stopped", at_ms: 280 });
    advance(500);
    expect(clock.now()).toBe(280);
    expect(clock.running).toBe(false);
  });

  it("runs on into sentences queued later, and waits at the end of what is queued", () => {
    const { clock, advance, t } = clockAt();
    clock.apply({ kind: "started", duration_ms: 300, silent_reason: null });
    advance(500);
    expect(clock.now()).toBe(300);
    clock.extendTo(900);
    clock.apply({ kind: "position", ms: 300, at_unix_ms: t() });
    advance(200);
    expect(clock.now()).toBe(500);
  });

  it("ends at the duration when finished", () => {
    const { clock } = clockAt();
    clock.apply({ kind: "started", duration_ms: 400, silent_reason: null });
    clock.apply({ kind: "finished" });
    expect(clock.now()).toBe(400);
  });
});
