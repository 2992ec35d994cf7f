/**
 * The twin's face wherever it is shown large: the owner's VRM avatar when
 * one is chosen and this computer can draw it, otherwise the drawn face.
 *
 * Invariant: a VRM that cannot be shown (no WebGL 2, a damaged file) never
 * leaves the screen without a face: the drawn one takes its place, with a
 * line saying why.
 */
import { useState } from "preact/hooks";
import type { AvatarProps } from "../avatar";
import { Avatar } from "../avatar";
import type { VrmError } from "../avatar/vrm";
import { VrmAvatar, vrmErrorText, vt } from "../avatar/vrm";

export function TwinFace(props: AvatarProps & { vrm: ArrayBuffer | null }) {
  const { vrm, ...face } = props;
  // Why this model (and only this one) cannot be shown; a new model gets a fresh try.
  const [failed, setFailed] = useState<{ model: ArrayBuffer; why: string } | null>(null);
  const problem = failed && failed.model === vrm ? failed.why : null;
  if (vrm && problem === null) {
    return (
      <VrmAvatar
        vrm={vrm}
        emotion={face.emotion}
        userEmotion={face.userEmotion}
        listening={face.listening}
        scheduler={face.scheduler}
        name={face.name}
        onFps={face.onFps}
        class={face.class}
        onStatus={(status, error?: VrmError) => {
          if (status === "unavailable") setFailed({ model: vrm, why: vt("vrm.unavailable") });
          else if (status === "failed" && error) setFailed({ model: vrm, why: vrmErrorText(error.code) });
        }}
      />
    );
  }
  return (
    <>
      <Avatar {...face} />
      {vrm && problem && (
        <p class="muted vrm-note" role="note" data-testid="vrm-fallback">
          {problem}
        </p>
      )}
    </>
  );
}
