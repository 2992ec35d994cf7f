import { describe, expect, it } from "vitest";
import { AppError, fieldOf, isErrorReport, sentence, toReport } from "./errors";

describe("toReport", () => {
  it("keeps a well-formed report", () => {
    const report = { code: "not_found", message: "no twin with id \"x\"", details: null } as const;
    expect(toReport(report)).toEqual(report);
    expect(toReport(new AppError(report))).toBe(report);
  });

  it("fills in missing details", () => {
    expect(toReport({ code: "io", message: "disk full" })).toEqual({ code: "io", message: "disk full", details: null });
  });

  it("treats Tauri's argument errors as invalid input", () => {
    const r = toReport("invalid args `params` for command `create_twin`: unknown field `colour`");
    expect(r.code).toBe("invalid_input");
    expect(r.message).toContain("colour");
  });

  it("turns anything else into an internal report without throwing", () => {
    expect(toReport("boom").code).toBe("internal");
    expect(toReport(new TypeError("x is undefined"))).toMatchObject({ code: "internal", message: "x is undefined" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const odd of [null, undefined, 42, cyclic, { code: "made_up", message: "m" }, { code: "io" }]) {
      const r = toReport(odd);
      expect(r.code).toBe("internal");
      expect(typeof r.message).toBe("string");
    }
  });
});

describe("isErrorReport", () => {
  it("rejects unknown codes and wrong types", () => {
    expect(isErrorReport({ code: "database", message: "m", details: "d" })).toBe(true);
    expect(isErrorReport({ code: "database", message: 3 })).toBe(false);
    expect(isErrorReport({ code: "nope", message: "m" })).toBe(false);
    expect(isErrorReport({ code: "io", message: "m", details: 5 })).toBe(false);
  });
});

describe("fieldOf", () => {
  const invalid = (message: string) => ({ code: "invalid_input" as const, message, details: null });
  it("finds the field an engine validation message is about", () => {
    expect(fieldOf(invalid("the name is empty"))).toBe("name");
    expect(fieldOf(invalid("the name is too long (10485760 characters; at most 80)"))).toBe("name");
    expect(fieldOf(invalid("the role contains control characters"))).toBe("role");
    expect(fieldOf(invalid("the casual tone must be between 0 and 1"))).toBe("casual tone");
  });
  it("is null for other messages and codes", () => {
    expect(fieldOf(invalid("twin id \"A\" is not valid"))).toBeNull();
    expect(fieldOf({ code: "database", message: "the name is empty", details: null })).toBeNull();
  });
});

describe("sentence", () => {
  it("capitalises and ends with a full stop once", () => {
    expect(sentence("the name is empty")).toBe("The name is empty.");
    expect(sentence("Already fine.")).toBe("Already fine.");
    expect(sentence("  ")).toBe("");
  });
});
