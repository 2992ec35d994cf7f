import { describe, expect, it } from "vitest";
import { Store } from "./store";

describe("Store", () => {
  it("notifies subscribers of changes only, in order, until unsubscribed", () => {
    const store = new Store(1);
    const seen: string[] = [];
    const offA = store.subscribe((v) => seen.push(`a${v}`));
    store.subscribe((v) => seen.push(`b${v}`));
    store.set(2);
    store.set(2);
    store.update((v) => v + 1);
    offA();
    store.set(4);
    expect(seen).toEqual(["a2", "b2", "a3", "b3", "b4"]);
    expect(store.get()).toBe(4);
  });

  it("lets a listener unsubscribe itself during notification", () => {
    const store = new Store("x");
    const calls: string[] = [];
    const off = store.subscribe(() => {
      calls.push("once");
      off();
    });
    store.subscribe((v) => calls.push(v));
    store.set("y");
    store.set("z");
    expect(calls).toEqual(["once", "y", "z"]);
  });
});
