/** Front-end entry point: starts the library store and renders the app. */
import { render } from "preact";
import { App } from "./components/App";
import { api } from "./ipc";
import { Library } from "./library";
import "./styles.css";

const library = new Library(api);
const root = document.getElementById("app");
if (root) render(<App library={library} api={api} />, root);
void library.start();
