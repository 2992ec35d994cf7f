import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatScore, hueFor, initials, scoreBand } from "./format";

describe("format", () => {
  it("formats file sizes in decimal units and shows nothing for nonsense", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1500)).toBe("1.5 kB");
    expect(formatBytes(491_400_032)).toBe("491 MB");
    expect(formatBytes(1.63e9)).toBe("1.6 GB");
    expect(formatBytes(-1)).toBe("");
    expect(formatBytes(Number.NaN)).toBe("");
  });

  it("formats dates in the UI locale and keeps unreadable ones", () => {
    expect(formatDate("2026-11-28T13:56:02Z", "en-GB")).toBe("28 Nov 2026");
    expect(formatDate("2026-11-28T13:56:02Z", "zh-CN")).toBe("2026年11月28日");
    expect(formatDate("not a date", "en-GB")).toBe("not a date");
  });

  it("formats and bands scores, clamping nonsense", () => {
    expect(formatScore(0.823)).toBe("82%");
    expect(formatScore(1.7)).toBe("100%");
    expect(formatScore(-1)).toBe("0%");
    expect(formatScore(Number.NaN)).toBe("0%");
    expect([scoreBand(0.9), scoreBand(0.7), scoreBand(0.2)]).toEqual(["good", "fair", "low"]);
  });

  it("makes initials for Latin and CJK names", () => {
    expect(initials("Maya Okafor")).toBe("MO");
    expect(initials("  maya  ")).toBe("M");
    expect(initials("Dr. J. Smith")).toBe("DS");
    expect(initials("王敏")).toBe("王");
    expect(initials("")).toBe("?");
  });

  it("gives each id a stable hue", () => {
    expect(hueFor("maya-okafor")).toBe(hueFor("maya-okafor"));
    expect(typeof hueFor("")).toBe("number");
  });
});
