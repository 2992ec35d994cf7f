import { describe, expect, it } from "vitest";
import type { AnswerUpdate, AnswerView, ListenUpdate, PlaybackUpdate, SpokenReply } from "./bindings";
import { Conversation } from "./conversation";
import { AppError } from "./errors";
import type { Api } from "./ipc";
import { PlaybackClock } from "./playbackClock";

const answer: AnswerView = {
  text: "We run 14 vans in Antwerp [1].",
  spoken: "We run 14 vans in Antwerp.",
  declined: false,
  citations: [{ marker: 1, file: "fleet.pdf", location: "page 2", heading: "Depots" }],
  emotion: "happy",
  user_emotion: "neutral",
  language: "en",
  style_score: 0.8,
  timings_ms: { retrieval: 20, first_token: 900, first_sentence: 1200, total: 2000 },
};
const reply: SpokenReply = {
  offset_ms: 0,
  duration_ms: 1000,
  visemes: [
    { viseme: "aa", start_ms: 0, end_ms: 400 },
    { viseme: "ou", start_ms: 400, end_ms: 1000 },
  ],
  skipped: null,
};

function fakeApi(heardQueue: string[] = []) {
  const calls: string[] = [];
  const opened: string[] = [];
  let playback: (u: PlaybackUpdate) => void = () => undefined;
  let queued = 0;
  const api = {
    askTwin: (_id: string, question: string, onUpdate: (u: AnswerUpdate) => void) => {
      calls.push(`ask:${question}`);
      if (question === "fail") return Promise.reject(new AppError({ code: "model_missing", message: "no model", details: null }));
      if (question === "two sentences") {
        onUpdate({ kind: "sentence", index: 0, text: "First [1].", spoken: "First." });
        onUpdate({ kind: "sentence", index: 1, text: "Second.", spoken: "Second." });
      }
      onUpdate({ kind: "started", language: "en", emotion: "happy", user_emotion: "neutral" });
      onUpdate({ kind: "token", text: "We run " });
      onUpdate({ kind: "token", text: "14 vans" });
      return Promise.resolve(answer);
    },
    speakReply: (_id: string, text: string, append: boolean, onPlayback: (u: PlaybackUpdate) => void) => {
      calls.push(`speak${append ? "+" : ""}:${text}`);
      if (!append) {
        queued = 0;
        playback = onPlayback;
      }
      const offset_ms = queued;
      queued += reply.duration_ms;
      return Promise.resolve({ ...reply, offset_ms });
    },
    endReply: () => {
      calls.push("end");
      return Promise.resolve();
    },
    stopSpeaking: () => {
      calls.push("stop");
      return Promise.resolve();
    },
    listenForQuestion: (_twinId: string, bargeIn: boolean, onUpdate: (u: ListenUpdate) => void) => {
      calls.push(bargeIn ? "listen-over" : "listen");
      const next = heardQueue.shift();
      if (next === "silence") {
        return Promise.reject(new AppError({ code: "invalid_input", message: "no speech was heard: check the microphone", details: null }));
      }
      if (next === "over") {
        // The person starts speaking over the reply and is still talking.
        onUpdate({ kind: "speech_started" });
        return new Promise(() => undefined);
      }
      if (next === "no-mic") {
        return Promise.reject(new AppError({ code: "audio", message: "no audio input device was found", details: null }));
      }
      onUpdate({ kind: "listening", input: "test" });
      onUpdate({ kind: "speech_started" });
      onUpdate({ kind: "partial", text: "How many vans" });
      onUpdate({ kind: "speech_ended" });
      return Promise.resolve({ text: "How many vans in Antwerp?", language: "en", speech_seconds: 2, final_decode_ms: 900 });
    },
    stopListening: () => Promise.resolve(),
    openSource: (_id: string, file: string, location: string | null) =>
      opened.push(`${file}@${location ?? ""}`) && file === "gone.pdf"
        ? Promise.reject(new AppError({ code: "invalid_input", message: "gone.pdf is no longer there", details: null }))
        : Promise.resolve(null),
  } as unknown as Api;
  return { api, calls, opened, play: (u: PlaybackUpdate) => playback(u) };
}

describe("Conversation", () => {
  it("streams the answer, keeps its citations and speaks it with the mouth on the audio clock", async () => {
    let now = 0;
    const f = fakeApi();
    const convo = new Conversation(f.api, "maya", new PlaybackClock(() => now));
    await convo.ask("  How many vans in Antwerp?  ");
    const s = convo.state.get();
    expect(s.turns).toHaveLength(1);
    expect(s.turns[0]).toMatchObject({ question: "How many vans in Antwerp?", status: "done", answer: answer.text, emotion: "happy" });
    expect(s.turns[0]?.citations[0]?.file).toBe("fleet.pdf");
    expect(f.calls).toContain("speak:We run 14 vans in Antwerp.");
    expect(s.speaking).toBe(true);
    f.play({ kind: "started", duration_ms: 1000, silent_reason: "no speaker" });
    now = 500;
    expect(convo.scheduler.dominant(convo.clock.now())).toBe("ou");
    expect(convo.state.get().notice).toBe("no speaker");
    f.play({ kind: "finished" });
    expect(convo.state.get().speaking).toBe(false);
  });

  it("speaks each sentence as it is written, later ones queued behind the first", async () => {
    const f = fakeApi();
    const convo = new Conversation(f.api, "maya");
    await convo.ask("two sentences");
    expect(f.calls.filter((c) => c.startsWith("speak") || c === "end")).toEqual(["speak:First.", "speak+:Second.", "end"]);
    const timeline = convo.scheduler.timeline;
    expect(timeline.map((v) => v.start_ms)).toEqual([0, 400, 1000, 1400]);
  });

  it("opens a cited document, and says why when it cannot", async () => {
    const f = fakeApi();
    const convo = new Conversation(f.api, "maya");
    await convo.openSource("fleet.pdf", "page 3");
    expect(convo.state.get().notice).toBeNull();
    expect(f.opened).toEqual(["fleet.pdf@page 3"]);
    await convo.openSource("gone.pdf");
    expect(convo.state.get().notice).toBe("gone.pdf is no longer there");
  });

  it("barge-in stops the reply and rests the mouth", async () => {
    const f = fakeApi();
    const convo = new Conversation(f.api, "maya");
    await convo.ask("vans?");
    convo.stop();
    expect(f.calls.at(-1)).toBe("stop");
    expect(convo.state.get().speaking).toBe(false);
    expect(convo.scheduler.running).toBe(false);
  });

  it("asks what it heard, with the caption shown", async () => {
    const f = fakeApi();
    const convo = new Conversation(f.api, "maya");
    await convo.listen();
    expect(f.calls.filter((c) => c !== "stop").slice(0, 2)).toEqual(["listen", "ask:How many vans in Antwerp?"]);
    expect(convo.state.get()).toMatchObject({ listening: false, caption: "How many vans in Antwerp?" });
    expect(convo.state.get().turns[0]?.status).toBe("done");
  });

  it("hands-free listens again by itself, over the reply, until turned off or the microphone fails", async () => {
    const f = fakeApi(["question", "silence", "question", "no-mic"]);
    const convo = new Conversation(f.api, "maya");
    convo.setHandsFree(true);
    for (let i = 0; i < 20 && convo.state.get().handsFree; i++) await new Promise((r) => setTimeout(r, 60));
    const listens = f.calls.filter((c) => c.startsWith("listen"));
    expect(listens).toEqual(["listen-over", "listen-over", "listen-over", "listen-over"]);
    expect(f.calls.filter((c) => c.startsWith("ask:"))).toHaveLength(2);
    const s = convo.state.get();
    expect(s.handsFree).toBe(false);
    expect(s.notice).toBe("no audio input device was found");
  });

  it("stops the face when the person speaks over the reply", async () => {
    const f = fakeApi(["over"]);
    const convo = new Conversation(f.api, "maya");
    await convo.ask("How many vans in Antwerp?");
    f.play({ kind: "started", duration_ms: 3000, silent_reason: null });
    expect(convo.state.get().speaking).toBe(true);
    convo.setHandsFree(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(convo.state.get().speaking).toBe(false);
    expect(convo.scheduler.running).toBe(false);
    convo.setHandsFree(false);
  });

  it("shows a failed answer with the engine's message and ignores empty questions", async () => {
    const f = fakeApi();
    const convo = new Conversation(f.api, "maya");
    await convo.ask("   ");
    expect(convo.state.get().turns).toHaveLength(0);
    await convo.ask("fail");
    const turn = convo.state.get().turns[0];
    expect(turn?.status).toBe("failed");
    expect(turn?.error?.message).toBe("no model");
  });
});
