/**
 * Which screen is showing, kept in the URL hash (`#library`,
 * `#twin/maya-okafor/talk`) so Back works and a test can open a screen directly.
 *
 * Invariant: any hash parses; what is not understood is the library.
 */
import { Store } from "./store";

export type TwinTab = "create" | "build" | "talk" | "look" | "persona";

const TABS: readonly string[] = ["create", "build", "talk", "look", "persona"];
export type Route =
  | { screen: "library" }
  | { screen: "models" }
  | { screen: "settings" }
  | { screen: "twin"; id: string; tab: TwinTab };

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/");
  if (parts[0] === "models") return { screen: "models" };
  if (parts[0] === "settings") return { screen: "settings" };
  if (parts[0] === "twin" && parts[1] !== undefined && ID.test(parts[1])) {
    const tab = TABS.includes(parts[2] ?? "") ? (parts[2] as TwinTab) : "create";
    return { screen: "twin", id: parts[1], tab };
  }
  return { screen: "library" };
}

export function routeHash(route: Route): string {
  if (route.screen === "twin") return `#twin/${route.id}/${route.tab}`;
  return `#${route.screen}`;
}

export const route = new Store<Route>(parseRoute(typeof location === "undefined" ? "" : location.hash));

if (typeof window !== "undefined") {
  window.addEventListener("hashchange", () => route.set(parseRoute(location.hash)));
}

/** Shows `next` (and records it in the history). */
export function navigate(next: Route): void {
  const hash = routeHash(next);
  if (typeof location !== "undefined" && location.hash !== hash) location.hash = hash;
  route.set(next);
}
