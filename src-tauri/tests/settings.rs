//! The Settings screen's commands with a real engine: preferences kept in
//! the app database across restarts, bad choices refused, and the device
//! list (empty on a machine without sound, never an error).

use alter_app::AppState;
use alter_app::commands::settings;
use alter_core::{Config, ErrorCode, Preferences};

#[tokio::test]
async fn preferences_survive_a_restart_and_bad_ones_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let state = AppState::open(Config::rooted(home.path())).await;
    assert_eq!(settings::preferences(&state).await.unwrap(), Preferences::default());
    let chosen =
        Preferences { language: Some("zh".into()), microphone: Some("USB Headset".into()), speaker: Some(" ".into()) };
    let stored = settings::set_preferences(&state, chosen).await.unwrap();
    assert_eq!(stored.speaker, None, "a blank device is the system default");
    drop(state);

    let state = AppState::open(Config::rooted(home.path())).await;
    let again = settings::preferences(&state).await.unwrap();
    assert_eq!((again.language.as_deref(), again.microphone.as_deref()), (Some("zh"), Some("USB Headset")));

    for bad in [
        Preferences { language: Some("klingon".into()), ..Default::default() },
        Preferences { microphone: Some("mic\u{7}".into()), ..Default::default() },
        Preferences { speaker: Some("s".repeat(10_000)), ..Default::default() },
    ] {
        let err = settings::set_preferences(&state, bad).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{}", err.message);
    }
    assert_eq!(settings::preferences(&state).await.unwrap(), again, "a refused choice changes nothing");
}

#[test]
fn devices_are_listed_without_failing() {
    let devices = settings::devices();
    for d in devices.inputs.iter().chain(&devices.outputs) {
        assert!(!d.name.is_empty());
    }
}
