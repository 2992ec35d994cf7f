import { afterEach, describe, expect, it } from "vitest";
import { detectLocale, format, locale, messages, t } from "./i18n";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("i18n", () => {
  afterEach(() => locale.set("en"));

  it("has every English key in Chinese, with the same placeholders and no empty text", () => {
    const en = messages.en;
    const zh = messages.zh;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
      expect(zh[key].trim(), key).not.toBe("");
    }
  });

  it("detects the locale from the system languages", () => {
    expect(detectLocale(["zh-CN", "en"])).toBe("zh");
    expect(detectLocale(["zh_TW"])).toBe("zh");
    expect(detectLocale(["fr-FR", "en-US"])).toBe("en");
    expect(detectLocale(["de"])).toBe("en");
    expect(detectLocale([])).toBe("en");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{count} twins", { count: 3 })).toBe("3 twins");
    expect(format("Hello {who}")).toBe("Hello {who}");
  });

  it("switches language at run time", () => {
    expect(t("library.new")).toBe("New twin");
    locale.set("zh");
    expect(t("library.new")).toBe("新建分身");
    expect(t("card.created", { date: "2026年11月28日" })).toBe("创建于 2026年11月28日");
  });
});
