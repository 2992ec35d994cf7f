//! Alter's desktop app: a thin Tauri shell over [`alter_engine::Engine`].
//!
//! This file only assembles the app: it opens the engine (from `ALTER_HOME` /
//! `ALTER_MODELS_DIR`), hands it to Tauri as managed state and registers the
//! commands of [`commands`]. Logic lives in the engine; translation to IPC
//! lives in `commands/`.
//!
//! Architecture invariant: the window opens even when the engine cannot (see
//! [`AppState`]); no command returns an untyped string error.

pub mod bindings;
pub mod commands;
mod jobs;
mod state;
mod viewer;

pub use state::AppState;

/// Builds and runs the app until the window closes.
pub fn run() {
    init_logging();
    let builder = bindings::specta_builder();
    // The engine is opened before the window so the first screen can already list twins.
    let state = tauri::async_runtime::block_on(AppState::open_from_env());
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!("the app stopped with an error: {err}");
        eprintln!("Alter could not start its window: {err}");
        std::process::exit(1);
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ALTER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Ignore "already set" (tests may initialise logging first).
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
