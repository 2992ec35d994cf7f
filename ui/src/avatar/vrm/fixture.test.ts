/**
 * The test avatar as a file, for the tests outside the webview (the app's
 * commands and the end-to-end test import it like a user's .vrm):
 * `tests/fixtures/avatar.vrm` must be exactly `makeTestVrm()`.
 * `ALTER_UPDATE_FIXTURES=1 npx vitest run src/avatar/vrm/fixture.test.ts` rewrites it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTestVrm } from "./testVrm";

// Tests run from ui/ (vitest's root).
const FIXTURE = resolve(process.cwd(), "../tests/fixtures/avatar.vrm");

describe("the committed test avatar", () => {
  it("is the one the tests build", () => {
    const built = new Uint8Array(makeTestVrm());
    if (process.env.ALTER_UPDATE_FIXTURES === "1") writeFileSync(FIXTURE, built);
    const committed = new Uint8Array(readFileSync(FIXTURE));
    expect(committed.length).toBe(built.length);
    expect(Buffer.compare(Buffer.from(committed), Buffer.from(built))).toBe(0);
  });
});
