/**
 * The animation loop (requestAnimationFrame) and a frames-per-second meter.
 *
 * Invariants: after the function `startFrameLoop` returns is called, no
 * further frame runs (the pending request is cancelled); the time step given
 * to `onFrame` is never negative and is capped at `MAX_STEP_MS`, so a tab
 * that slept does not make the face jump.
 */

export const MAX_STEP_MS = 100;

/** Counts frames and reports the rate about once per `windowMs`. */
export class FpsMeter {
  readonly #onFps: (fps: number) => void;
  readonly #windowMs: number;
  #since: number | null = null;
  #frames = 0;

  constructor(onFps: (fps: number) => void, windowMs = 1000) {
    this.#onFps = onFps;
    this.#windowMs = windowMs;
  }

  /** Records a frame drawn at `nowMs`. */
  tick(nowMs: number): void {
    if (this.#since === null || nowMs < this.#since) {
      this.#since = nowMs;
      this.#frames = 0;
      return;
    }
    this.#frames += 1;
    const elapsed = nowMs - this.#since;
    if (elapsed >= this.#windowMs) {
      this.#onFps(Math.round((this.#frames * 1000 * 10) / elapsed) / 10);
      this.#since = nowMs;
      this.#frames = 0;
    }
  }
}

/** Calls `onFrame(dtMs, nowMs)` on every animation frame until the returned function is called. */
export function startFrameLoop(onFrame: (dtMs: number, nowMs: number) => void): () => void {
  let last: number | null = null;
  let id = 0;
  let stopped = false;
  const frame = (now: number) => {
    if (stopped) return;
    const dt = last === null ? 0 : Math.min(MAX_STEP_MS, Math.max(0, now - last));
    last = now;
    onFrame(dt, now);
    if (!stopped) id = requestAnimationFrame(frame);
  };
  id = requestAnimationFrame(frame);
  return () => {
    stopped = true;
    cancelAnimationFrame(id);
  };
}
