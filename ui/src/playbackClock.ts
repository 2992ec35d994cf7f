/**
 * The reply's audio clock, as the Rust player reports it: positions arrive
 * about every 100 ms, stamped with the wall-clock time the position is
 * heard, and are extrapolated in between, so the avatar's mouth is scheduled
 * against what is heard rather than against when the report arrived.
 *
 * Invariants: the clock never runs backwards between two reports unless a new
 * playback starts; it stops at the reply's duration; after `Finished` or
 * `Stopped` it holds still.
 */
import type { PlaybackUpdate } from "./bindings";

/** Longer than any report takes to arrive; a larger gap means the stamp is not to be trusted. */
export const MAX_TRANSIT_MS = 250;

export class PlaybackClock {
  #anchorMs = 0;
  #anchorAt = 0;
  #durationMs = 0;
  #running = false;
  readonly #now: () => number;
  readonly #wallNow: () => number;

  /** `now` drives extrapolation; `wallNow` (epoch ms) is compared with the player's stamps. */
  constructor(now: () => number = () => performance.now(), wallNow: () => number = () => Date.now()) {
    this.#now = now;
    this.#wallNow = wallNow;
  }

  /** Applies one report of the player. */
  apply(update: PlaybackUpdate): void {
    const at = this.#now();
    switch (update.kind) {
      case "started":
        this.#durationMs = Math.max(0, update.duration_ms);
        this.#anchor(0, at);
        this.#running = true;
        break;
      case "position": {
        // The sound moved on while the report travelled here; never step back for a late one.
        const transit = this.#wallNow() - update.at_unix_ms;
        const heard = update.ms + (transit > 0 && transit <= MAX_TRANSIT_MS ? transit : 0);
        this.#anchor(Math.max(heard, this.now()), at);
        break;
      }
      case "finished":
        this.#anchor(this.#durationMs, at);
        this.#running = false;
        break;
      case "stopped":
        this.#anchor(Math.min(update.at_ms, this.now()), at);
        this.#running = false;
        break;
    }
  }

  /**
   * More of the reply is queued (a later sentence): the clock may run up to
   * `totalMs`. Until then it waits at the end of what is queued, as the audio does.
   */
  extendTo(totalMs: number): void {
    // Re-anchor first: time spent waiting at the old end was not playback.
    if (this.#running) this.#anchor(this.now(), this.#now());
    this.#durationMs = Math.max(this.#durationMs, totalMs);
  }

  /** Milliseconds of the reply heard by now. */
  now(): number {
    const elapsed = this.#running ? this.#now() - this.#anchorAt : 0;
    return Math.min(this.#anchorMs + Math.max(0, elapsed), this.#durationMs);
  }

  get running(): boolean {
    return this.#running;
  }

  #anchor(ms: number, at: number): void {
    this.#anchorMs = ms;
    this.#anchorAt = at;
  }
}
