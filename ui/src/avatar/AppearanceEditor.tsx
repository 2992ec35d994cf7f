/**
 * A small form that edits an avatar's Appearance, with a live preview.
 *
 * Invariants: it is controlled (shows `value`, reports every change through
 * `onChange`); every reported appearance has been through parseAppearance,
 * so a bad colour from the picker is replaced, never passed on. Every control
 * has a visible label and is a native select, colour input or checkbox, so it
 * works with the keyboard and screen readers as the platform's own do.
 */
import { useId } from "preact/hooks";
import type { Appearance } from "./appearance";
import { CLOTHING_STYLES, FACE_SHAPES, HAIR_STYLES, parseAppearance } from "./appearance";
import { Avatar } from "./Avatar";
import type { AvatarMessageKey } from "./strings";
import { at } from "./strings";

export interface AppearanceEditorProps {
  value: Appearance;
  onChange: (appearance: Appearance) => void;
  /** The twin's name, for the preview's label. */
  name: string;
}

type ColorKey = "skin_tone" | "hair_color" | "eye_color" | "clothing_color";

export function AppearanceEditor({ value, onChange, name }: AppearanceEditorProps) {
  const id = useId();
  const current = parseAppearance(value);
  const set = (change: Partial<Appearance>) => onChange(parseAppearance({ ...current, ...change }));

  const color = (key: ColorKey, label: AvatarMessageKey) => (
    <div class="field avatar-editor-color">
      <label for={`${id}-${key}`}>{at(label)}</label>
      <input
        id={`${id}-${key}`}
        type="color"
        value={current[key]}
        onInput={(e) => set({ [key]: e.currentTarget.value })}
        data-testid={`appearance-${key}`}
      />
    </div>
  );

  return (
    <div class="avatar-editor">
      <figure class="avatar-editor-preview">
        <Avatar appearance={current} emotion="neutral" name={name} />
        <figcaption>{at("editor.preview")}</figcaption>
      </figure>
      <fieldset class="avatar-editor-fields">
        <legend>{at("editor.legend")}</legend>
        <Select
          id={`${id}-face`}
          testId="appearance-face_shape"
          label={at("editor.faceShape")}
          value={current.face_shape}
          options={FACE_SHAPES.map((v) => [v, at(`face.${v}`)])}
          onChange={(v) => set({ face_shape: v as Appearance["face_shape"] })}
        />
        {color("skin_tone", "editor.skinTone")}
        <Select
          id={`${id}-hair`}
          testId="appearance-hair_style"
          label={at("editor.hairStyle")}
          value={current.hair_style}
          options={HAIR_STYLES.map((v) => [v, at(`hair.${v}`)])}
          onChange={(v) => set({ hair_style: v as Appearance["hair_style"] })}
        />
        {color("hair_color", "editor.hairColor")}
        {color("eye_color", "editor.eyeColor")}
        <Select
          id={`${id}-clothing`}
          testId="appearance-clothing"
          label={at("editor.clothing")}
          value={current.clothing}
          options={CLOTHING_STYLES.map((v) => [v, at(`clothing.${v}`)])}
          onChange={(v) => set({ clothing: v as Appearance["clothing"] })}
        />
        {color("clothing_color", "editor.clothingColor")}
        <div class="avatar-editor-check">
          <input
            id={`${id}-glasses`}
            type="checkbox"
            checked={current.glasses}
            onChange={(e) => set({ glasses: e.currentTarget.checked })}
            data-testid="appearance-glasses"
          />
          <label for={`${id}-glasses`}>{at("editor.glasses")}</label>
        </div>
      </fieldset>
    </div>
  );
}

interface SelectProps {
  id: string;
  testId: string;
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}

function Select({ id, testId, label, value, options, onChange }: SelectProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid={testId}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
