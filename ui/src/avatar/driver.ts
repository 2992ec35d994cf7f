/**
 * Drives one avatar frame by frame: idle life, the expression blender and
 * the mouth (from a VisemeScheduler, when speech plays), combined into a pose.
 * Avatar.tsx owns one per mounted face; it holds no DOM, so tests can step it.
 */
import type { Emotion, UserEmotion } from "./expression";
import { ExpressionBlender } from "./expression";
import { IdleAnimator } from "./idle";
import type { FacePose } from "./pose";
import { composePose } from "./pose";
import type { MouthFrame, VisemeScheduler } from "./visemes";
import { MOUTH_SHAPES } from "./visemes";

export interface AvatarFrame {
  pose: FacePose;
  mouth: MouthFrame;
}

export interface DriverOptions {
  emotion?: Emotion;
  random?: () => number;
  reducedMotion?: boolean;
}

export class AvatarDriver {
  readonly idle: IdleAnimator;
  readonly expression: ExpressionBlender;
  scheduler: VisemeScheduler | null = null;

  constructor(options: DriverOptions = {}) {
    this.idle = new IdleAnimator({ random: options.random, reducedMotion: options.reducedMotion });
    this.expression = new ExpressionBlender(options.emotion ?? "neutral");
  }

  setEmotion(emotion: Emotion): void {
    this.expression.setTarget(emotion);
  }

  mirror(userEmotion: UserEmotion | null | undefined): void {
    this.expression.mirror(userEmotion);
  }

  set listening(on: boolean) {
    this.idle.listening = on;
  }

  get listening(): boolean {
    return this.idle.listening;
  }

  /** Advances by `dtMs` and returns the frame to draw. */
  step(dtMs: number): AvatarFrame {
    const idle = this.idle.step(dtMs);
    const expression = this.expression.step(dtMs);
    const mouth: MouthFrame = this.scheduler?.read() ?? { viseme: "rest", shape: { ...MOUTH_SHAPES.rest }, speaking: false };
    return { pose: composePose(idle, expression, mouth.shape), mouth };
  }
}
