/** Front-end entry point: starts the library store and renders the app. */
import { render } from "preact";
import { App } from "./components/App";
import { api } from "./ipc";
import { Library } from "./library";
import { AppPreferences } from "./preferences";
import "./styles.css";

const library = new Library(api);
const preferences = new AppPreferences(api);
const root = document.getElementById("app");
if (root) render(<App library={library} api={api} preferences={preferences} />, root);
void library.start().then(() => preferences.load());
