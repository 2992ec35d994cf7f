import { describe, expect, it } from "vitest";
import { parseRoute, routeHash } from "./route";

describe("routes", () => {
  it("round-trips twin screens", () => {
    for (const r of [{ screen: "twin", id: "maya-okafor", tab: "talk" }, { screen: "twin", id: "a1", tab: "build" }] as const) {
      expect(parseRoute(routeHash(r))).toEqual(r);
    }
  });

  it("knows the models screen", () => {
    expect(parseRoute("#models")).toEqual({ screen: "models" });
    expect(routeHash({ screen: "models" })).toBe("#models");
  });

  it("falls back to the library for anything else", () => {
    for (const h of ["", "#", "#nope", "#twin/", "#twin/../etc", "#twin/UPPER", `#twin/${"a".repeat(200)}`]) {
      expect(parseRoute(h)).toEqual({ screen: "library" });
    }
  });

  it("defaults a twin to its create tab", () => {
    expect(parseRoute("#twin/maya/whatever")).toEqual({ screen: "twin", id: "maya", tab: "create" });
    expect(parseRoute("#twin/maya/create")).toEqual({ screen: "twin", id: "maya", tab: "create" });
  });
});
