/**
 * The twin's animated face and shoulders: an SVG drawn from an Appearance
 * that blinks, breathes, shows the reply's emotion and moves its mouth with
 * the speech's viseme timeline.
 *
 * Invariants: Preact renders the still parts; the animation loop writes only
 * the moving attributes (transforms, eye/brow/mouth paths, `data-viseme`,
 * `data-mouth-open`), which Preact never renders, so the two never fight.
 * The loop runs from mount to unmount and reads the latest props through a
 * ref, so prop changes never restart it. The appearance is re-validated here,
 * so even an unchecked one cannot put hostile strings into the SVG.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Appearance } from "./appearance";
import { parseAppearance } from "./appearance";
import { luminance, mix, shade } from "./color";
import type { AvatarFrame } from "./driver";
import { AvatarDriver } from "./driver";
import type { Emotion, UserEmotion } from "./expression";
import type { FaceLayout } from "./geometry";
import { browPath, eyePath, faceLayout, headPath, lashPath, mouthPaths, round2, VIEW_H, VIEW_W } from "./geometry";
import { FpsMeter, startFrameLoop } from "./loop";
import { Ears, Glasses, HairBack, HairFront, Torso } from "./parts";
import { avatarLabel } from "./strings";
import type { VisemeScheduler } from "./visemes";

export interface AvatarProps {
  appearance: Appearance;
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
  /** Uniform 0…1 randomness for blinks and sway (seed it in tests); read at mount only. */
  random?: () => number;
  class?: string;
}

const SCLERA = "#fbfaf7";
const PUPIL = "#16181c";
const MOUTH_INSIDE = "#4e2226";
const TEETH = "#f7f5f0";
const BLUSH = "#e3806c";

interface Nodes {
  svg: SVGSVGElement | null;
  headBack: SVGGElement | null;
  head: SVGGElement | null;
  torso: SVGGElement | null;
  eyes: (SVGPathElement | null)[];
  eyeClips: (SVGPathElement | null)[];
  lashes: (SVGPathElement | null)[];
  brows: (SVGPathElement | null)[];
  cheeks: (SVGEllipseElement | null)[];
  cavity: SVGPathElement | null;
  mouthClip: SVGPathElement | null;
  teeth: SVGPathElement | null;
  lips: SVGPathElement | null;
}

export function Avatar(props: AvatarProps) {
  const { appearance, emotion, userEmotion, listening = false, scheduler, name } = props;
  const a = useMemo(() => parseAppearance(appearance), [appearance]);
  const layout = useMemo(() => faceLayout(a.face_shape), [a.face_shape]);
  const uid = useId();
  const [speaking, setSpeaking] = useState(false);

  const nodes = useRef<Nodes>({
    svg: null,
    headBack: null,
    head: null,
    torso: null,
    eyes: [],
    eyeClips: [],
    lashes: [],
    brows: [],
    cheeks: [],
    cavity: null,
    mouthClip: null,
    teeth: null,
    lips: null,
  }).current;

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

  const live = useRef({ layout, onFps: props.onFps, frame: null as AvatarFrame | null });
  live.current.layout = layout;
  live.current.onFps = props.onFps;

  useLayoutEffect(() => {
    const fps = new FpsMeter((value) => live.current.onFps?.(value));
    const tick = (dt: number, now: number) => {
      const frame = driver.step(dt);
      live.current.frame = frame;
      draw(nodes, live.current.layout, frame);
      setSpeaking(frame.mouth.speaking);
      if (now >= 0) fps.tick(now);
    };
    tick(0, -1);
    return startFrameLoop(tick);
  }, [driver, nodes]);

  // A new face shape moves the features: redraw before paint rather than on the next frame.
  useLayoutEffect(() => {
    if (live.current.frame) draw(nodes, layout, live.current.frame);
  }, [layout, nodes]);

  const { cx, eyeY, eyeDx, noseY, mouthY } = layout;
  const skin = a.skin_tone;
  // Darker skin needs relatively darker lines to keep the mouth and nose readable.
  const depth = 1 - Math.min(1, luminance(skin) * 4);
  const skinShadow = shade(skin, -(0.22 + 0.22 * depth));
  const lip = shade(mix(skin, "#9c3f4a", 0.35), -(0.12 + 0.3 * depth));
  const brow = shade(a.hair_color, -0.1);
  const state = speaking ? "speaking" : listening ? "listening" : "idle";

  return (
    <svg
      ref={(el) => {
        nodes.svg = el;
      }}
      class={props.class ? `twin-avatar ${props.class}` : "twin-avatar"}
      viewBox={`0 0 ${VIEW_W} ${VIEW_H}`}
      preserveAspectRatio="xMidYMax meet"
      role="img"
      aria-label={avatarLabel(name, state)}
      data-state={state}
      focusable="false"
    >
      <defs>
        {[0, 1].map((i) => (
          <clipPath key={i} id={`${uid}-eye-${i}`}>
            <path ref={(el) => void (nodes.eyeClips[i] = el)} />
          </clipPath>
        ))}
        <clipPath id={`${uid}-mouth`}>
          <path ref={(el) => void (nodes.mouthClip = el)} />
        </clipPath>
      </defs>
      <circle class="twin-avatar-backdrop" cx={cx} cy={106} r={92} />
      <g ref={(el) => void (nodes.headBack = el)}>
        <HairBack style={a.hair_style} color={a.hair_color} l={layout} />
      </g>
      <g ref={(el) => void (nodes.torso = el)}>
        <Torso appearance={a} l={layout} />
      </g>
      <g ref={(el) => void (nodes.head = el)}>
        <Ears skin={skin} l={layout} />
        <path d={headPath(a.face_shape, layout)} fill={skin} />
        {[-1, 1].map((side, i) => (
          <ellipse
            key={side}
            ref={(el) => void (nodes.cheeks[i] = el)}
            cx={cx + side * 24}
            cy={mouthY - 9}
            rx={7.5}
            ry={4.5}
            fill={BLUSH}
            opacity={0.03}
          />
        ))}
        <path
          d={`M ${cx - 3.4} ${noseY} Q ${cx} ${noseY + 3} ${cx + 3.4} ${noseY}`}
          fill="none"
          stroke={skinShadow}
          stroke-width={1.5}
          stroke-linecap="round"
        />
        <path
          d={`M ${cx + 1.8} ${eyeY + 4} Q ${cx + 3.4} ${noseY - 6} ${cx + 3} ${noseY - 2}`}
          fill="none"
          stroke={skinShadow}
          stroke-width={1.1}
          stroke-linecap="round"
          opacity={0.35}
        />
        {[-1, 1].map((side, i) => (
          <Eye
            key={side}
            x={cx + side * eyeDx}
            y={eyeY}
            color={a.eye_color}
            lash={shade(a.hair_color, -0.35)}
            clip={`url(#${uid}-eye-${i})`}
            eyeRef={(el) => void (nodes.eyes[i] = el)}
            lashRef={(el) => void (nodes.lashes[i] = el)}
          />
        ))}
        <path ref={(el) => void (nodes.cavity = el)} fill={MOUTH_INSIDE} />
        <path ref={(el) => void (nodes.teeth = el)} fill={TEETH} clip-path={`url(#${uid}-mouth)`} />
        <path ref={(el) => void (nodes.lips = el)} fill="none" stroke={lip} stroke-linejoin="round" stroke-linecap="round" />
        {a.glasses && <Glasses l={layout} />}
        {[0, 1].map((i) => (
          <path
            key={i}
            ref={(el) => void (nodes.brows[i] = el)}
            fill="none"
            stroke={brow}
            stroke-width={2.6}
            stroke-linecap="round"
          />
        ))}
        <HairFront style={a.hair_style} color={a.hair_color} l={layout} />
      </g>
    </svg>
  );
}

interface EyeProps {
  x: number;
  y: number;
  color: string;
  lash: string;
  clip: string;
  eyeRef: (el: SVGPathElement | null) => void;
  lashRef: (el: SVGPathElement | null) => void;
}

function Eye({ x, y, color, lash, clip, eyeRef, lashRef }: EyeProps) {
  return (
    <g>
      <path ref={eyeRef} fill={SCLERA} />
      <g clip-path={clip}>
        <circle cx={x} cy={y - 0.4} r={3.9} fill={color} />
        <circle cx={x} cy={y - 0.4} r={1.9} fill={PUPIL} />
        <circle cx={x + 1.3} cy={y - 1.7} r={0.9} fill="#ffffff" opacity={0.85} />
      </g>
      <path ref={lashRef} fill="none" stroke={lash} stroke-width={1.5} stroke-linecap="round" />
    </g>
  );
}

/** Writes one frame's moving attributes. */
function draw(n: Nodes, l: FaceLayout, { pose, mouth }: AvatarFrame): void {
  const headTransform = `translate(${round2(pose.headX)} ${round2(pose.headY)}) rotate(${round2(pose.headDeg)} ${l.cx} ${l.pivotY})`;
  n.head?.setAttribute("transform", headTransform);
  n.headBack?.setAttribute("transform", headTransform);
  const s = pose.torsoScale;
  n.torso?.setAttribute("transform", `matrix(1 0 0 ${round2(s * 1000) / 1000} 0 ${round2(VIEW_H * (1 - s))})`);

  [-1, 1].forEach((side, i) => {
    const ex = l.cx + side * l.eyeDx;
    const eye = eyePath(ex, l.eyeY, pose.eyeOpen);
    n.eyes[i]?.setAttribute("d", eye);
    n.eyeClips[i]?.setAttribute("d", eye);
    n.lashes[i]?.setAttribute("d", lashPath(ex, l.eyeY, pose.eyeOpen));
    n.brows[i]?.setAttribute("d", browPath(l, side as -1 | 1, pose.browRaise, pose.browFurrow));
    n.cheeks[i]?.setAttribute("opacity", String(round2(0.03 + 0.17 * Math.max(0, pose.smile))));
  });

  const m = mouthPaths(l, pose.mouth, pose.smile);
  n.cavity?.setAttribute("d", m.outline);
  n.mouthClip?.setAttribute("d", m.outline);
  n.lips?.setAttribute("d", m.outline);
  n.lips?.setAttribute("stroke-width", String(m.lipWidth));
  n.teeth?.setAttribute("d", m.teeth);
  n.teeth?.setAttribute("opacity", String(m.teethOpacity));

  n.svg?.setAttribute("data-viseme", mouth.viseme);
  n.svg?.setAttribute("data-mouth-open", pose.mouth.jawOpen.toFixed(2));
}

function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia("(prefers-reduced-motion: reduce)").matches
    : false;
}
