/**
 * How far the lips are from the audio, measured while a reply plays.
 *
 * The player stamps every position report with the wall-clock time at which
 * that position is heard (`at_unix_ms`). Each frame the mouth is drawn for
 * the clock's position; at the same wall-clock moment the audio is at the
 * last report's position plus the time since its stamp. The difference is
 * the lip offset of that frame: positive when the lips run ahead of the
 * sound, negative when they lag. It includes the report's journey to the
 * webview and the clock's extrapolation, not the display's own latency
 * (one frame at most) nor the sound card's (reported by the player where
 * the device tells it).
 *
 * Invariant: memory is bounded (the last `MAX_SAMPLES` frames).
 */
import type { PlaybackUpdate } from "./bindings";

export const MAX_SAMPLES = 3_000;

export interface LipSyncSummary {
  frames: number;
  /** Median of |offset|, ms. */
  p50AbsMs: number;
  /** 95th percentile of |offset|, ms. */
  p95AbsMs: number;
  /** Mean signed offset, ms (positive: lips ahead). */
  meanMs: number;
}

export class LipSyncMeter {
  #last: { ms: number; atUnixMs: number } | null = null;
  #playing = false;
  #offsets: number[] = [];
  readonly #wallNow: () => number;

  constructor(wallNow: () => number = () => Date.now()) {
    this.#wallNow = wallNow;
  }

  /** Takes one report of the player. */
  onReport(update: PlaybackUpdate): void {
    switch (update.kind) {
      case "started":
        this.#playing = true;
        this.#last = null;
        break;
      case "position":
        if (Number.isFinite(update.ms) && Number.isFinite(update.at_unix_ms)) {
          this.#last = { ms: update.ms, atUnixMs: update.at_unix_ms };
        }
        break;
      case "finished":
      case "stopped":
        this.#playing = false;
        this.#last = null;
        break;
    }
  }

  /** Records a frame whose mouth was drawn for `clockMs` on the reply's clock. */
  onFrame(clockMs: number): void {
    if (!this.#playing || !this.#last || !Number.isFinite(clockMs)) return;
    const heard = this.#last.ms + (this.#wallNow() - this.#last.atUnixMs);
    this.#offsets.push(clockMs - heard);
    if (this.#offsets.length > MAX_SAMPLES) this.#offsets.splice(0, this.#offsets.length - MAX_SAMPLES);
  }

  summary(): LipSyncSummary | null {
    const n = this.#offsets.length;
    if (n === 0) return null;
    const abs = this.#offsets.map(Math.abs).sort((a, b) => a - b);
    const at = (p: number) => abs[Math.min(n - 1, Math.round((n - 1) * p))] ?? 0;
    const mean = this.#offsets.reduce((a, b) => a + b, 0) / n;
    return { frames: n, p50AbsMs: at(0.5), p95AbsMs: at(0.95), meanMs: mean };
  }

  reset(): void {
    this.#offsets = [];
  }
}
