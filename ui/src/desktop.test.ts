import { describe, expect, it } from "vitest";
import { listenForDrops, pick, sortDropped } from "./desktop";

describe("desktop", () => {
  it("sends recordings to the voice list and everything else to the documents", () => {
    const dropped = ["/h/cv.pdf", "/h/Hello.WAV", "/h/notes", "/h/talk.m4a", "/h/data.csv"];
    expect(sortDropped(dropped)).toEqual({
      documents: ["/h/cv.pdf", "/h/notes", "/h/data.csv"],
      voice: ["/h/Hello.WAV", "/h/talk.m4a"],
    });
  });

  it("offers no picker and no dropping outside the desktop app, without throwing", async () => {
    await expect(pick("documents", "Add")).resolves.toEqual([]);
    const stop = await listenForDrops(
      () => undefined,
      () => undefined,
    );
    expect(() => stop()).not.toThrow();
  });
});
