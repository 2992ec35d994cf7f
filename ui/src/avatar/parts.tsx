/**
 * The avatar's still parts, drawn from an Appearance: hair (behind and in
 * front of the head), ears, neck and clothing, glasses. The moving parts
 * (eyes, brows, mouth) are in Avatar.tsx.
 *
 * Invariant: colours come only from a parsed Appearance (see parseAppearance)
 * or from constants here, so nothing untrusted reaches an attribute.
 */
import type { Appearance, ClothingStyle, HairStyle } from "./appearance";
import { mix, shade } from "./color";
import type { FaceLayout } from "./geometry";
import { round2, svgPath, VIEW_H } from "./geometry";

const SHIRT_WHITE = "#f2f4f7";
const FRAME_COLOR = "#2a2f36";

/** Hair that sits behind the head (long hair, a bun, the back of curls). */
export function HairBack({ style, color, l }: { style: HairStyle; color: string; l: FaceLayout }) {
  const { cx, cy, rx, ry } = l;
  const top = cy - ry;
  const fill = shade(color, -0.08);
  switch (style) {
    case "long":
      return (
        <path
          fill={fill}
          d={svgPath`M ${cx - rx - 5} ${cy - 14}
            C ${cx - rx - 12} ${cy + 30} ${cx - rx - 16} ${cy + 64} ${cx - rx - 8} ${cy + 84}
            L ${cx + rx + 8} ${cy + 84}
            C ${cx + rx + 16} ${cy + 64} ${cx + rx + 12} ${cy + 30} ${cx + rx + 5} ${cy - 14}
            C ${cx + rx} ${top - 4} ${cx - rx} ${top - 4} ${cx - rx - 5} ${cy - 14} Z`}
        />
      );
    case "bun":
      return <circle fill={fill} cx={cx} cy={top - 2} r={15} />;
    case "curly":
      return (
        <g fill={fill}>
          {bumps(cx, cy - 6, rx + 6, ry + 4, 150, 390, 13, 10.5)}
          <ellipse cx={cx} cy={cy - 8} rx={rx + 8} ry={ry * 0.72} />
        </g>
      );
    default:
      return null;
  }
}

/** Hair over the top of the head and the forehead. */
export function HairFront({ style, color, l }: { style: HairStyle; color: string; l: FaceLayout }) {
  const { cx, cy, rx, ry } = l;
  const top = cy - ry;
  const highlight = shade(color, 0.12);
  switch (style) {
    case "short":
      return (
        <g>
          <path
            fill={color}
            d={svgPath`M ${cx - rx - 1.5} ${cy + 4}
              C ${cx - rx - 3} ${cy - ry * 0.8} ${cx - rx * 0.6} ${top - 6} ${cx} ${top - 6}
              C ${cx + rx * 0.6} ${top - 6} ${cx + rx + 3} ${cy - ry * 0.8} ${cx + rx + 1.5} ${cy + 4}
              L ${cx + rx - 1.5} ${cy + 4}
              C ${cx + rx - 2} ${cy - 14} ${cx + rx - 9} ${top + 19} ${cx + 10} ${top + 17}
              C ${cx - 8} ${top + 16} ${cx - rx + 4} ${top + 24} ${cx - rx + 1.5} ${cy + 4} Z`}
          />
          <path
            fill="none"
            stroke={highlight}
            stroke-width={1.2}
            stroke-linecap="round"
            opacity={0.5}
            d={svgPath`M ${cx + 12} ${top + 3} C ${cx + 4} ${top + 5} ${cx - 10} ${top + 8} ${cx - 22} ${top + 15}`}
          />
        </g>
      );
    case "long":
      return (
        <path
          fill={color}
          d={svgPath`M ${cx - rx - 4} ${cy + 46}
            C ${cx - rx - 7} ${cy - ry * 0.8} ${cx - rx * 0.6} ${top - 7} ${cx} ${top - 7}
            C ${cx + rx * 0.6} ${top - 7} ${cx + rx + 7} ${cy - ry * 0.8} ${cx + rx + 4} ${cy + 46}
            C ${cx + rx + 1} ${cy + 48} ${cx + rx - 2} ${cy + 46} ${cx + rx - 2} ${cy + 40}
            C ${cx + rx - 1} ${cy - 6} ${cx + rx - 10} ${top + 20} ${cx + 6} ${top + 16}
            C ${cx - 12} ${top + 18} ${cx - rx + 2} ${cy - 8} ${cx - rx + 2} ${cy + 40}
            C ${cx - rx + 2} ${cy + 46} ${cx - rx - 1} ${cy + 48} ${cx - rx - 4} ${cy + 46} Z`}
        />
      );
    case "bun":
      return (
        <path
          fill={color}
          d={svgPath`M ${cx - rx - 1} ${cy}
            C ${cx - rx - 3} ${cy - ry * 0.8} ${cx - rx * 0.6} ${top - 4} ${cx} ${top - 4}
            C ${cx + rx * 0.6} ${top - 4} ${cx + rx + 3} ${cy - ry * 0.8} ${cx + rx + 1} ${cy}
            L ${cx + rx - 1.5} ${cy}
            C ${cx + rx - 4} ${cy - 22} ${cx + 16} ${top + 14} ${cx} ${top + 14}
            C ${cx - 16} ${top + 14} ${cx - rx + 4} ${cy - 22} ${cx - rx + 1.5} ${cy} Z`}
        />
      );
    case "curly":
      return (
        <g fill={color}>
          <path
            d={svgPath`M ${cx - rx - 2} ${cy}
              C ${cx - rx - 4} ${cy - ry * 0.8} ${cx - rx * 0.6} ${top - 5} ${cx} ${top - 5}
              C ${cx + rx * 0.6} ${top - 5} ${cx + rx + 4} ${cy - ry * 0.8} ${cx + rx + 2} ${cy}
              L ${cx + rx - 2} ${cy}
              C ${cx + rx - 4} ${cy - 20} ${cx + 16} ${top + 14} ${cx} ${top + 14}
              C ${cx - 16} ${top + 14} ${cx - rx + 4} ${cy - 20} ${cx - rx + 2} ${cy} Z`}
          />
          {bumps(cx, cy - 4, rx + 1, ry + 1, 186, 354, 11, 7.5)}
          {bumps(cx, cy + 4, rx - 6, ry - 10, 198, 342, 9, 5)}
        </g>
      );
    default:
      return null;
  }
}

/** Circles along an elliptical arc (degrees, SVG orientation) for curly outlines. */
function bumps(cx: number, cy: number, rx: number, ry: number, from: number, to: number, count: number, r: number) {
  return Array.from({ length: count }, (_, i) => {
    const a = ((from + ((to - from) * i) / Math.max(1, count - 1)) * Math.PI) / 180;
    return <circle key={i} cx={round2(cx + rx * Math.cos(a))} cy={round2(cy + ry * Math.sin(a))} r={r} />;
  });
}

export function Ears({ skin, l }: { skin: string; l: FaceLayout }) {
  const fill = shade(skin, -0.06);
  const inner = shade(skin, -0.2);
  const y = l.eyeY + 5;
  return (
    <g>
      {[-1, 1].map((side) => {
        const x = l.cx + side * (l.rx - 1);
        return (
          <g key={side}>
            <ellipse cx={x} cy={y} rx={6.5} ry={10} fill={fill} />
            <path
              fill="none"
              stroke={inner}
              stroke-width={1.3}
              stroke-linecap="round"
              d={svgPath`M ${x + side * 2.5} ${y - 5} Q ${x + side * 4} ${y} ${x + side * 1.5} ${y + 5}`}
            />
          </g>
        );
      })}
    </g>
  );
}

/** Neck and shoulders with the chosen clothing. */
export function Torso({ appearance, l }: { appearance: Appearance; l: FaceLayout }) {
  const { cx } = l;
  const neckTop = l.cy + 30;
  const base = 163;
  const neck = shade(appearance.skin_tone, -0.12);
  const cloth = appearance.clothing_color;
  return (
    <g>
      <path fill={neck} d={svgPath`M ${cx - 15} ${neckTop} L ${cx - 16} ${base + 8} L ${cx + 16} ${base + 8} L ${cx + 15} ${neckTop} Z`} />
      <path
        fill={shade(neck, -0.08)}
        opacity={0.6}
        d={svgPath`M ${cx - 15} ${neckTop + 10} Q ${cx} ${neckTop + 24} ${cx + 15} ${neckTop + 10} L ${cx + 15} ${neckTop} L ${cx - 15} ${neckTop} Z`}
      />
      <path
        fill={cloth}
        stroke={shade(cloth, -0.2)}
        stroke-width={0.8}
        d={svgPath`M 8 ${VIEW_H}
          C 9 ${base + 26} 30 ${base + 9} 68 ${base + 3}
          Q ${cx} ${base - 3} 132 ${base + 3}
          C 170 ${base + 9} 191 ${base + 26} 192 ${VIEW_H} Z`}
      />
      <Clothing style={appearance.clothing} color={cloth} neck={neck} cx={cx} base={base} />
    </g>
  );
}

function Clothing({ style, color, neck, cx, base }: { style: ClothingStyle; color: string; neck: string; cx: number; base: number }) {
  const dark = shade(color, -0.22);
  const light = mix(color, "#ffffff", 0.14);
  switch (style) {
    case "blazer":
      return (
        <g>
          <path fill={SHIRT_WHITE} d={svgPath`M ${cx - 17} ${base} L ${cx} ${base + 42} L ${cx + 17} ${base} Z`} />
          <path fill={neck} d={svgPath`M ${cx - 11} ${base} L ${cx} ${base + 14} L ${cx + 11} ${base} Z`} />
          <path fill="#dfe3e8" d={svgPath`M ${cx - 14} ${base - 1} L ${cx} ${base + 15} L ${cx - 6} ${base + 21} L ${cx - 17} ${base + 4} Z`} />
          <path fill="#dfe3e8" d={svgPath`M ${cx + 14} ${base - 1} L ${cx} ${base + 15} L ${cx + 6} ${base + 21} L ${cx + 17} ${base + 4} Z`} />
          <path fill={dark} d={svgPath`M ${cx - 19} ${base} L ${cx - 1} ${base + 46} L ${cx - 9} ${base + 44} L ${cx - 26} ${base + 20} L ${cx - 21} ${base + 14} L ${cx - 28} ${base + 9} Z`} />
          <path fill={dark} d={svgPath`M ${cx + 19} ${base} L ${cx + 1} ${base + 46} L ${cx + 9} ${base + 44} L ${cx + 26} ${base + 20} L ${cx + 21} ${base + 14} L ${cx + 28} ${base + 9} Z`} />
          <circle cx={cx} cy={base + 51} r={1.6} fill={shade(color, -0.4)} />
        </g>
      );
    case "sweater":
      return (
        <g>
          <path fill={neck} d={svgPath`M ${cx - 15} ${base - 1} Q ${cx} ${base + 16} ${cx + 15} ${base - 1} Z`} />
          <path fill="none" stroke={dark} stroke-width={4} stroke-linecap="round" d={svgPath`M ${cx - 17} ${base - 1} Q ${cx} ${base + 19} ${cx + 17} ${base - 1}`} />
          <path fill="none" stroke={light} stroke-width={1} opacity={0.5} d={svgPath`M 44 ${base + 22} Q 40 ${base + 36} 38 ${VIEW_H}`} />
          <path fill="none" stroke={light} stroke-width={1} opacity={0.5} d={svgPath`M 156 ${base + 22} Q 160 ${base + 36} 162 ${VIEW_H}`} />
        </g>
      );
    case "shirt":
      return (
        <g>
          <path fill={neck} d={svgPath`M ${cx - 14} ${base - 1} L ${cx} ${base + 16} L ${cx + 14} ${base - 1} Z`} />
          <path fill="none" stroke={dark} stroke-width={1} d={svgPath`M ${cx} ${base + 16} V ${VIEW_H}`} />
          {[base + 28, base + 42].map((y) => (
            <circle key={y} cx={cx + 2.6} cy={y} r={1.3} fill={dark} />
          ))}
          <path fill={light} d={svgPath`M ${cx - 15} ${base - 4} L ${cx - 1} ${base + 16} L ${cx - 11} ${base + 22} L ${cx - 20} ${base + 4} Z`} />
          <path fill={light} d={svgPath`M ${cx + 15} ${base - 4} L ${cx + 1} ${base + 16} L ${cx + 11} ${base + 22} L ${cx + 20} ${base + 4} Z`} />
        </g>
      );
  }
}

export function Glasses({ l }: { l: FaceLayout }) {
  const { cx, eyeY, eyeDx, rx } = l;
  const w = 21;
  const h = 14.5;
  return (
    <g fill="none" stroke={FRAME_COLOR} stroke-width={1.6} stroke-linejoin="round">
      {[-1, 1].map((side) => (
        <rect key={side} x={cx + side * eyeDx - w / 2} y={eyeY - 7.8} width={w} height={h} rx={4.5} fill="#ffffff" fill-opacity={0.1} />
      ))}
      <path d={svgPath`M ${cx - eyeDx + w / 2} ${eyeY - 2.5} Q ${cx} ${eyeY - 6} ${cx + eyeDx - w / 2} ${eyeY - 2.5}`} />
      <path d={svgPath`M ${cx - eyeDx - w / 2} ${eyeY - 4} L ${cx - rx + 1} ${eyeY - 5.5}`} />
      <path d={svgPath`M ${cx + eyeDx + w / 2} ${eyeY - 4} L ${cx + rx - 1} ${eyeY - 5.5}`} />
    </g>
  );
}
