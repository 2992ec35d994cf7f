/** The avatar module's public API: the animated face, its editor, and the pieces that drive them. */
export type { Appearance, ClothingStyle, FaceShape, HairStyle } from "./appearance";
export { CLOTHING_STYLES, DEFAULT_APPEARANCE, FACE_SHAPES, HAIR_STYLES, isHexColor, parseAppearance } from "./appearance";
export type { MouthFrame, MouthShape, TimedViseme, Viseme } from "./visemes";
export { BLEND_MS, MOUTH_SHAPES, sanitizeTimeline, VisemeScheduler, VISEMES } from "./visemes";
export type { BlenderOptions, Emotion, Expression, UserEmotion } from "./expression";
export { EMOTIONS, ExpressionBlender, EXPRESSIONS, expressionFor, MIRROR_OF, MIRROR_STRENGTH } from "./expression";
export type { IdleOptions, IdlePose } from "./idle";
export { IdleAnimator, seededRandom } from "./idle";
export { FpsMeter } from "./loop";
export type { AvatarProps } from "./Avatar";
export { Avatar } from "./Avatar";
export type { AppearanceEditorProps } from "./AppearanceEditor";
export { AppearanceEditor } from "./AppearanceEditor";
