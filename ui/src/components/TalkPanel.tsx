/**
 * The Talk tab: the avatar large, the conversation next to it with answers
 * streaming as they are written, source cards under each answer, the mood,
 * typed input, a stop button (barge-in) and the latency of the last turns.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Appearance } from "../avatar";
import type { Conversation, Turn } from "../conversation";
import type { LipSyncSummary } from "../lipSync";
import type { MessageKey } from "../i18n";
import { t } from "../i18n";
import { useStore } from "../store";
import { TwinFace } from "./TwinFace";

function Sources({ turn, onOpen }: { turn: Turn; onOpen: (file: string, location: string) => void }) {
  if (turn.citations.length === 0) return null;
  return (
    <ul class="sources" aria-label={t("talk.sources")}>
      {turn.citations.map((c) => (
        <li key={c.marker}>
          <button
            type="button"
            class="source-card"
            data-testid="source-card"
            data-file={c.file}
            title={t("talk.openSource", { file: c.file })}
            onClick={() => onOpen(c.file, c.location)}
          >
            <span class="source-marker">[{c.marker}]</span>
            <span class="source-file">{c.file}</span>
            {c.location && <span class="source-location">{c.location}</span>}
            {c.heading && <span class="source-heading">{c.heading}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}

function TurnView({ turn, onOpen }: { turn: Turn; onOpen: (file: string, location: string) => void }) {
  return (
    <li class="turn" data-testid="turn" data-status={turn.status}>
      <p class="bubble bubble-user">{turn.question}</p>
      <div class="bubble bubble-twin" aria-live="polite">
        {turn.status === "thinking" && <span class="muted">{t("talk.thinking")}</span>}
        {turn.status === "failed" && (
          <span role="alert">
            {t("talk.failed")} {turn.error?.message}
          </span>
        )}
        {turn.answer !== "" && (
          <p class="answer" data-testid="answer">
            {turn.answer}
          </p>
        )}
        {turn.declined && <span class="chip chip-neutral">{t("talk.declined")}</span>}
        <Sources turn={turn} onOpen={onOpen} />
      </div>
    </li>
  );
}

function Latency({ turns }: { turns: Turn[] }) {
  // Declines that never reached the model have no stages to show.
  const timed = turns.filter((x) => (x.timings?.total ?? 0) > 0).slice(-5);
  if (timed.length === 0) return null;
  const max = Math.max(...timed.map((x) => x.timings?.total ?? 0), 1);
  return (
    <figure class="latency" data-testid="latency">
      <figcaption>{t("talk.latency")}</figcaption>
      {timed.map((x) => {
        const first = x.timings?.first_token ?? x.timings?.total ?? 0;
        const total = x.timings?.total ?? 0;
        return (
          <div class="latency-row" key={x.id} title={`${t("talk.firstToken", { ms: Math.round(first) })}, ${t("talk.total", { ms: Math.round(total) })}`}>
            <span class="latency-bar latency-first" style={{ width: `${(first / max) * 100}%` }} />
            <span class="latency-bar latency-rest" style={{ width: `${((total - first) / max) * 100}%` }} />
            <span class="latency-label">{(total / 1000).toFixed(1)} s</span>
          </div>
        );
      })}
    </figure>
  );
}

export function TalkPanel(props: {
  conversation: Conversation;
  name: string;
  appearance: Appearance;
  /** The owner's own VRM avatar, drawn instead of the built-in face. */
  vrm?: ArrayBuffer | null;
}) {
  const { conversation, name } = props;
  const state = useStore(conversation.state);
  const [question, setQuestion] = useState("");
  const [fps, setFps] = useState<number | null>(null);
  const [lips, setLips] = useState<LipSyncSummary | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const busy = state.turns.some((x) => x.status === "thinking" || x.status === "answering");
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView?.({ block: "end" });
  }, [state.turns]);
  const submit = () => {
    const q = question.trim();
    if (q === "" || busy) return;
    setQuestion("");
    void conversation.ask(q);
  };
  return (
    <div class="talk" data-testid="talk-panel">
      <section class="stage-avatar" aria-label={name}>
        <TwinFace
          vrm={props.vrm ?? null}
          appearance={props.appearance}
          emotion={state.emotion}
          userEmotion={state.userEmotion}
          listening={state.listening || busy}
          scheduler={conversation.scheduler}
          name={name}
          onFps={(value) => {
            setFps(value);
            setLips(conversation.lipSync.summary());
          }}
          class="avatar-large"
        />
        <div class="avatar-status">
          <span class={`chip chip-mood mood-${state.emotion}`} data-testid="emotion" data-emotion={state.emotion}>
            {t("talk.emotion", { emotion: t(`emotion.${state.emotion}` as MessageKey) })}
          </span>
          {state.speaking && (
            <button type="button" class="button secondary small" onClick={() => conversation.stop()} data-testid="stop-speaking">
              {t("talk.stop")}
            </button>
          )}
          {fps !== null && (
            <span class="fps" data-testid="fps" data-fps={String(fps)}>
              {Math.round(fps)} FPS
            </span>
          )}
          {lips !== null && (
            <span
              class="fps"
              data-testid="lip-offset"
              data-p50={lips.p50AbsMs.toFixed(1)}
              data-p95={lips.p95AbsMs.toFixed(1)}
              data-frames={String(lips.frames)}
              title={t("talk.lipOffsetHint")}
            >
              {t("talk.lipOffset", { ms: Math.round(lips.p95AbsMs) })}
            </span>
          )}
        </div>
        {(state.listening || state.caption !== "") && (
          <p class="caption" aria-live="polite" data-testid="caption" data-listening={String(state.listening)}>
            {state.caption || t("talk.listening")}
          </p>
        )}
        {state.notice && (
          <p class="notice small" role="status" data-testid="talk-notice">
            {state.notice}
          </p>
        )}
      </section>
      <section class="conversation">
        {state.turns.length === 0 && <p class="muted talk-empty">{t("talk.empty", { name })}</p>}
        <ol class="turns" ref={list}>
          {state.turns.map((x) => (
            <TurnView key={x.id} turn={x} onOpen={(file, location) => void conversation.openSource(file, location)} />
          ))}
        </ol>
        <form
          class="ask"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label class="visually-hidden" for="question">
            {t("talk.label")}
          </label>
          <textarea
            id="question"
            rows={2}
            value={question}
            placeholder={t("talk.placeholder", { name })}
            onInput={(e) => setQuestion(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                submit();
              }
            }}
            maxLength={2000}
          />
          <button type="submit" class="button primary" disabled={busy || question.trim() === ""} data-testid="ask">
            {t("talk.ask")}
          </button>
          {!state.handsFree && (
            <button
              type="button"
              class={`button ${state.listening ? "danger" : "secondary"}`}
              disabled={busy && !state.listening}
              aria-pressed={state.listening}
              onClick={() => (state.listening ? conversation.stopListening() : void conversation.listen())}
              data-testid="talk-button"
            >
              {t(state.listening ? "talk.stopListening" : "talk.speak")}
            </button>
          )}
          <button
            type="button"
            class={`button ${state.handsFree ? "primary" : "secondary"}`}
            aria-pressed={state.handsFree}
            title={t("talk.handsFreeHint")}
            onClick={() => conversation.setHandsFree(!state.handsFree)}
            data-testid="hands-free"
          >
            {t(state.handsFree ? "talk.handsFreeOn" : "talk.handsFree")}
          </button>
        </form>
        <Latency turns={state.turns} />
      </section>
    </div>
  );
}
