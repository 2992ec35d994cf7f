/**
 * The Talk screen's conversation with one twin: typed questions, answers
 * streamed as they are written, then spoken with the mouth following the
 * audio clock.
 *
 * Invariants: one answer and one reply at a time (a new question stops the
 * previous reply, as the engine does); `stop` is the barge-in path: the
 * speech and the answer being written end, the mouth returns to rest.
 */
import type { AnswerTimings, CitationView, ErrorReport } from "./bindings";
import type { Emotion, UserEmotion } from "./avatar";
import { VisemeScheduler } from "./avatar";
import { toReport } from "./errors";
import type { Api } from "./ipc";
import { LipSyncMeter } from "./lipSync";
import { PlaybackClock } from "./playbackClock";
import { Store } from "./store";

export interface Turn {
  id: number;
  question: string;
  /** The answer as written so far (with `[n]` markers). */
  answer: string;
  status: "thinking" | "answering" | "done" | "failed";
  citations: CitationView[];
  declined: boolean;
  emotion: Emotion;
  styleScore: number | null;
  timings: AnswerTimings | null;
  error: ErrorReport | null;
}

export interface TalkState {
  turns: Turn[];
  speaking: boolean;
  /** Waiting for, or hearing, a spoken question. */
  listening: boolean;
  /** What was heard so far (a partial caption until the speaker stops). */
  caption: string;
  emotion: Emotion;
  userEmotion: UserEmotion | null;
  /** Why a reply is silent (no speaker), or what the voice left out. */
  notice: string | null;
  /** Hands-free: listening goes on by itself, also while the twin speaks (barge-in). */
  handsFree: boolean;
}

const EMOTIONS: readonly Emotion[] = ["neutral", "happy", "concerned", "surprised", "sad"];
const asEmotion = (e: string): Emotion => (EMOTIONS.includes(e as Emotion) ? (e as Emotion) : "neutral");

export class Conversation {
  readonly state = new Store<TalkState>({
    turns: [],
    speaking: false,
    listening: false,
    caption: "",
    emotion: "neutral",
    userEmotion: null,
    notice: null,
    handsFree: false,
  });
  readonly scheduler = new VisemeScheduler();
  /** Counts stopped replies: sentences of an earlier one are not spoken. */
  #epoch = 0;
  /** How far the lips are from the sound, over this conversation. */
  readonly lipSync = new LipSyncMeter();
  readonly clock: PlaybackClock;
  readonly #api: Api;
  readonly #twinId: string;
  #nextId = 1;

  constructor(api: Api, twinId: string, clock: PlaybackClock = new PlaybackClock()) {
    this.#api = api;
    this.#twinId = twinId;
    this.clock = clock;
  }

  get busy(): boolean {
    return this.state.get().turns.some((t) => t.status === "thinking" || t.status === "answering");
  }

  /** Asks a typed question; resolves when the answer is written (speech goes on). */
  async ask(question: string, speak = true): Promise<void> {
    const text = question.trim();
    if (text === "" || this.busy) return;
    this.stop();
    const epoch = this.#epoch;
    const id = this.#nextId++;
    this.#update((s) => ({
      ...s,
      notice: null,
      turns: [
        ...s.turns,
        { id, question: text, answer: "", status: "thinking", citations: [], declined: false, emotion: "neutral", styleScore: null, timings: null, error: null },
      ],
    }));
    // Each finished sentence is spoken while the next is written: the first
    // starts the reply, later ones queue behind it.
    let spokenParts = 0;
    let speech = Promise.resolve();
    const say = (text: string) => {
      const first = spokenParts++ === 0;
      // A reply that was stopped (Stop, or the person speaking over it) says no more.
      speech = speech.then(() => (epoch === this.#epoch ? this.#speakPart(text, !first) : undefined));
    };
    try {
      const answer = await this.#api.askTwin(this.#twinId, text, (u) => {
        if (u.kind === "started") {
          this.#update((s) => ({ ...s, emotion: asEmotion(u.emotion), userEmotion: u.user_emotion as UserEmotion }));
          this.#turn(id, (t) => ({ ...t, status: "answering", emotion: asEmotion(u.emotion) }));
        } else if (u.kind === "token") {
          this.#turn(id, (t) => ({ ...t, status: "answering", answer: t.answer + u.text }));
        } else if (u.kind === "sentence" && speak && u.spoken.trim() !== "") {
          say(u.spoken);
        }
      });
      this.#turn(id, (t) => ({
        ...t,
        status: "done",
        answer: answer.text,
        citations: answer.citations,
        declined: answer.declined,
        emotion: asEmotion(answer.emotion),
        styleScore: answer.style_score,
        timings: answer.timings_ms,
      }));
      this.#update((s) => ({ ...s, emotion: asEmotion(answer.emotion) }));
      // Declines and refusals arrive whole, without sentences.
      if (speak && spokenParts === 0 && answer.spoken.trim() !== "") say(answer.spoken);
      await speech;
      if (spokenParts > 0) await this.#api.endReply().catch(() => undefined);
    } catch (error) {
      this.#turn(id, (t) => ({ ...t, status: "failed", error: toReport(error) }));
    }
  }

  /** Speaks `text` in the twin's voice as a whole reply; the mouth follows the player's clock. */
  async speak(text: string): Promise<void> {
    await this.#speakPart(text, false);
    await this.#api.endReply().catch(() => undefined);
  }

  /** Speaks one part of a reply: the first starts it, later ones (`append`) queue behind. */
  async #speakPart(text: string, append: boolean): Promise<void> {
    try {
      const reply = await this.#api.speakReply(this.#twinId, text, append, (u) => {
        this.clock.apply(u);
        this.lipSync.onReport(u);
        if (u.kind === "started" && u.silent_reason) this.#update((s) => ({ ...s, notice: u.silent_reason }));
        if (u.kind === "finished" || u.kind === "stopped") {
          this.scheduler.stop();
          this.#update((s) => ({ ...s, speaking: false }));
        }
      });
      const shifted = reply.visemes.map((v) => ({
        ...v,
        start_ms: v.start_ms + reply.offset_ms,
        end_ms: v.end_ms + reply.offset_ms,
      }));
      const isFirst = reply.offset_ms === 0;
      this.scheduler.load(isFirst ? shifted : [...this.scheduler.timeline, ...shifted]);
      this.clock.extendTo(reply.offset_ms + reply.duration_ms);
      if (isFirst) {
        // Each frame reads the clock once; the meter compares that reading with the sound.
        this.scheduler.start(() => {
          const ms = this.clock.now();
          this.lipSync.onFrame(ms);
          return ms;
        });
      }
      this.#update((s) => ({
        ...s,
        speaking: true,
        notice: reply.skipped ? `${s.notice ?? ""} ${reply.skipped}`.trim() : s.notice,
      }));
    } catch (error) {
      this.#update((s) => ({ ...s, notice: toReport(error).message }));
    }
  }

  /**
   * Listens for a spoken question (the microphone, captured in Rust), shows
   * the caption as it grows, then asks it. Speaking over the twin stops it.
   */
  async listen(): Promise<void> {
    if (this.busy || this.state.get().listening) return;
    this.stop();
    const heard = await this.#hear(false);
    if (heard !== null) await this.ask(heard);
  }

  /**
   * Hands-free on: the twin listens again after each question, also while it
   * answers; speaking over it stops it (the Rust side tells its echo from the
   * person). Silence just keeps it listening; a missing microphone turns it off.
   */
  setHandsFree(on: boolean): void {
    if (on === this.state.get().handsFree) return;
    this.#update((s) => ({ ...s, handsFree: on }));
    if (on) void this.#handsFreeLoop();
    else this.stopListening();
  }

  async #handsFreeLoop(): Promise<void> {
    while (this.state.get().handsFree) {
      if (this.state.get().listening) return;
      const heard = await this.#hear(true);
      if (!this.state.get().handsFree) return;
      if (heard === null) {
        const notice = this.state.get().notice;
        // Nothing said yet: keep listening. Anything else (no microphone): stop and say why.
        if (notice !== null) {
          this.#update((s) => ({ ...s, handsFree: false }));
          return;
        }
        continue;
      }
      // Asked without waiting for the answer: the next turn listens while this one speaks.
      void this.ask(heard);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** One listening turn; the text heard, or null (with `notice` set unless it was only silence). */
  async #hear(bargeIn: boolean): Promise<string | null> {
    this.#update((s) => ({ ...s, listening: true, caption: "", notice: null }));
    try {
      const result = await this.#api.listenForQuestion(this.#twinId, bargeIn, (u) => {
        if (u.kind === "partial") this.#update((s) => ({ ...s, caption: u.text }));
        if (u.kind === "speech_started" && this.state.get().speaking) {
          // Barge-in: the player and the answer were stopped where it was heard; the face follows.
          this.#epoch += 1;
          this.scheduler.stop();
          this.#update((s) => ({ ...s, speaking: false }));
        }
      });
      this.#update((s) => ({ ...s, listening: false, caption: result.text }));
      return result.text;
    } catch (error) {
      const report = toReport(error);
      // In hands-free, nothing said (or nothing that could be made out) just means listening on.
      const nothing = /^(no speech was heard|the speech could not be recognised)/.test(report.message);
      const quiet = report.code === "cancelled" || (bargeIn && nothing);
      this.#update((s) => ({ ...s, listening: false, notice: quiet ? null : report.message }));
      return null;
    }
  }

  /** Stops listening without asking anything. */
  stopListening(): void {
    void this.#api.stopListening().catch(() => undefined);
  }

  /** Opens a cited document in the system's viewer, at the cited page where it can; a failure shows as the notice. */
  async openSource(file: string, location: string | null = null): Promise<void> {
    try {
      await this.#api.openSource(this.#twinId, file, location);
    } catch (error) {
      this.#update((s) => ({ ...s, notice: toReport(error).message }));
    }
  }

  /** Barge-in: stop speaking and writing now. */
  stop(): void {
    this.#epoch += 1;
    this.scheduler.stop();
    if (this.state.get().speaking) this.#update((s) => ({ ...s, speaking: false }));
    void this.#api.stopSpeaking().catch(() => undefined);
  }

  #update(change: (s: TalkState) => TalkState): void {
    this.state.update(change);
  }

  #turn(id: number, change: (t: Turn) => Turn): void {
    this.#update((s) => ({ ...s, turns: s.turns.map((t) => (t.id === id ? change(t) : t)) }));
  }
}
