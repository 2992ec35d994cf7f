/**
 * The twin as the user's own VRM avatar, driven exactly like the SVG face:
 * the same AvatarDriver (idle life, the reply's emotion, the user's mirrored
 * emotion, the viseme timeline), mapped onto VRM expressions by `applyFrame`.
 *
 * Invariants: three.js is imported only when the component finds WebGL 2,
 * so the main bundle and machines without WebGL never load it; without
 * WebGL, or with a bad file, it shows a message instead of throwing. The
 * frame loop runs only while the avatar is shown, reads the latest props
 * through a ref (prop changes never restart it), and writes `data-viseme`
 * and `data-mouth-open` on the root each frame, as Avatar.tsx does. A new
 * `vrm` buffer (by identity) reloads the avatar, so keep the same buffer
 * between renders.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { AvatarDriver } from "../driver";
import type { Emotion, UserEmotion } from "../expression";
import { FpsMeter, startFrameLoop } from "../loop";
import { avatarLabel } from "../strings";
import type { VisemeScheduler } from "../visemes";
import type { VrmError } from "./errors";
import { toVrmError } from "./errors";
import type { VrmStage } from "./stage";
import { vrmErrorText, vt } from "./strings";

/** loading: the file is being read; ready: the avatar is shown; unavailable: no WebGL 2; failed: a bad file. */
export type VrmStatus = "loading" | "ready" | "unavailable" | "failed";

export interface VrmAvatarProps {
  /** The bytes of the `.vrm` file. */
  vrm: ArrayBuffer;
  /** The reply's emotion. */
  emotion: Emotion;
  /** The user's emotion, mirrored softly. */
  userEmotion?: UserEmotion | null;
  /** True while the twin listens to the user. */
  listening?: boolean;
  /** Where the mouth comes from while a reply plays. */
  scheduler?: VisemeScheduler | null;
  /** The twin's name, for the accessible label. */
  name: string;
  /** Called about once a second with the measured frame rate. */
  onFps?: (fps: number) => void;
  /** Called when the status changes; `error` comes with "failed" (a screen may fall back to the drawn avatar). */
  onStatus?: (status: VrmStatus, error?: VrmError) => void;
  /** Uniform 0…1 randomness for blinks and sway (seed it in tests); read at mount only. */
  random?: () => number;
  class?: string;
}

/** The SVG face's proportions (200 × 220) and round backdrop, so the two can swap without a jump. */
const ROOT_STYLE = {
  position: "relative",
  aspectRatio: "200 / 220",
  background: "radial-gradient(circle at 50% 48%, var(--avatar-backdrop) 0 46%, transparent 46.5%)",
} as const;
const CANVAS_STYLE = { display: "block", width: "100%", height: "100%" } as const;
const HIDDEN = { display: "none" } as const;
const MESSAGE_STYLE = {
  position: "absolute",
  inset: "0",
  margin: "0",
  padding: "12%",
  display: "grid",
  placeItems: "center",
  textAlign: "center",
  fontSize: "13px",
} as const;

export function VrmAvatar(props: VrmAvatarProps) {
  const { vrm: bytes, emotion, userEmotion, listening = false, scheduler, name } = props;
  const [status, setStatus] = useState<VrmStatus>("loading");
  const [error, setError] = useState<VrmError | null>(null);
  const [speaking, setSpeaking] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  const driverRef = useRef<AvatarDriver | null>(null);
  if (!driverRef.current) {
    driverRef.current = new AvatarDriver({ emotion, random: props.random, reducedMotion: prefersReducedMotion() });
  }
  const driver = driverRef.current;
  // The setters are idempotent, so handing the props over on every render is safe
  // and the running loop always reads the latest ones.
  driver.setEmotion(emotion);
  driver.mirror(userEmotion);
  driver.listening = listening;
  driver.scheduler = scheduler ?? null;

  const live = useRef({ onFps: props.onFps, onStatus: props.onStatus });
  live.current.onFps = props.onFps;
  live.current.onStatus = props.onStatus;

  useLayoutEffect(() => {
    const el = root.current;
    const surface = canvas.current;
    if (!el || !surface) return;
    const report = (next: VrmStatus, problem?: VrmError) => {
      setStatus(next);
      setError(problem ?? null);
      live.current.onStatus?.(next, problem);
    };
    const context = webgl2(surface);
    if (!context) {
      report("unavailable");
      return;
    }
    report("loading");

    // Filled in by the callbacks below; an object, so the cleanup sees what they set.
    const run = { cancelled: false, stage: null as VrmStage | null, stop: null as (() => void) | null };
    import("./stage")
      .then((m) => m.createStage(surface, context, bytes))
      .then((stage) => {
        if (run.cancelled) {
          stage.dispose();
          return;
        }
        run.stage = stage;
        const fps = new FpsMeter((value) => live.current.onFps?.(value));
        const tick = (dt: number, now: number) => {
          const frame = driver.step(dt);
          stage.draw(frame, driver.expression.current, dt);
          el.setAttribute("data-viseme", frame.mouth.viseme);
          el.setAttribute("data-mouth-open", frame.pose.mouth.jawOpen.toFixed(2));
          setSpeaking(frame.mouth.speaking);
          if (now >= 0) fps.tick(now);
        };
        tick(0, -1);
        report("ready");
        run.stop = startFrameLoop(tick);
      })
      .catch((cause: unknown) => {
        if (!run.cancelled) report("failed", toVrmError(cause));
      });
    return () => {
      run.cancelled = true;
      run.stop?.();
      run.stage?.dispose();
    };
  }, [bytes, driver]);

  const state = status !== "ready" ? "idle" : speaking ? "speaking" : listening ? "listening" : "idle";
  return (
    <div
      ref={root}
      class={props.class ? `twin-avatar twin-avatar-vrm ${props.class}` : "twin-avatar twin-avatar-vrm"}
      style={ROOT_STYLE}
      aria-busy={status === "loading"}
      data-testid="vrm-avatar"
      data-status={status}
      data-state={state}
    >
      <canvas
        ref={canvas}
        style={status === "unavailable" || status === "failed" ? HIDDEN : CANVAS_STYLE}
        role="img"
        aria-label={avatarLabel(name, state)}
      />
      {status === "loading" && <p style={MESSAGE_STYLE}>{vt("vrm.loading")}</p>}
      {status === "unavailable" && (
        <p style={MESSAGE_STYLE} data-testid="vrm-unavailable">
          {vt("vrm.unavailable")}
        </p>
      )}
      {status === "failed" && error && (
        <p style={MESSAGE_STYLE} role="alert" data-testid="vrm-failed" data-code={error.code}>
          {vrmErrorText(error.code)}
        </p>
      )}
    </div>
  );
}

/** A WebGL 2 context for `canvas`, or null where there is none (three.js needs WebGL 2). */
function webgl2(canvas: HTMLCanvasElement): WebGL2RenderingContext | null {
  try {
    return canvas.getContext("webgl2", { alpha: true, antialias: true, premultipliedAlpha: true });
  } catch {
    return null;
  }
}

function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia("(prefers-reduced-motion: reduce)").matches
    : false;
}
