//! Tauri's build step: embeds `tauri.conf.json`, the capabilities and the icons.
//!
//! `ui/dist` must exist before this crate compiles (`npm --prefix ui ci && npm --prefix ui run build`,
//! or `make ui`): the front end is embedded into the binary.

fn main() {
    tauri_build::build()
}
