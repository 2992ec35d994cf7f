//! The twin's own 3D avatar through the app's commands: a real VRM file
//! (the committed test avatar) is kept with the twin and handed back for
//! drawing; files that are not VRM avatars are refused with the reason.

use std::path::{Path, PathBuf};

use alter_app::AppState;
use alter_app::commands::{avatar, twins};
use alter_core::{Config, ErrorCode, TwinParams};
use base64::Engine as _;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/avatar.vrm")
}

#[tokio::test]
async fn a_vrm_is_kept_with_the_twin_and_handed_back() {
    let home = tempfile::tempdir().unwrap();
    let state = AppState::open(Config::rooted(home.path())).await;
    let id = twins::create(&state, TwinParams::named("Maya Okafor")).await.unwrap().id.to_string();
    assert_eq!(avatar::model(&state, &id).await.unwrap(), None, "a new twin has the built-in face");

    let params = avatar::set(&state, &id, &fixture().display().to_string()).await.unwrap();
    assert_eq!(params.appearance.vrm.as_deref(), Some("avatar.vrm"));
    let encoded = avatar::model(&state, &id).await.unwrap().expect("the model is handed back");
    let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap();
    assert_eq!(bytes, std::fs::read(fixture()).unwrap());
    // The choice is part of the twin's saved look.
    assert!(twins::get(&state, &id).await.unwrap().params.appearance.vrm.is_some());

    let params = avatar::remove(&state, &id).await.unwrap();
    assert_eq!(params.appearance.vrm, None);
    assert_eq!(avatar::model(&state, &id).await.unwrap(), None);
}

#[tokio::test]
async fn what_is_not_a_vrm_is_refused_and_the_old_avatar_stays() {
    let home = tempfile::tempdir().unwrap();
    let state = AppState::open(Config::rooted(home.path())).await;
    let id = twins::create(&state, TwinParams::named("Maya Okafor")).await.unwrap().id.to_string();
    avatar::set(&state, &id, &fixture().display().to_string()).await.unwrap();

    let scratch = tempfile::tempdir().unwrap();
    let text = scratch.path().join("avatar.vrm");
    std::fs::write(&text, "not a model").unwrap();
    let cut = scratch.path().join("cut.vrm");
    let whole = std::fs::read(fixture()).unwrap();
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    for path in [text, cut, scratch.path().join("missing.vrm"), scratch.path().to_path_buf()] {
        let err = avatar::set(&state, &id, &path.display().to_string()).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{}: {}", path.display(), err.message);
        assert!(err.message.contains("is not a VRM avatar"), "{}", err.message);
    }
    for bad in ["", "  ", "a\0b"] {
        assert_eq!(avatar::set(&state, &id, bad).await.unwrap_err().code, ErrorCode::InvalidInput);
    }
    let kept = avatar::model(&state, &id).await.unwrap().expect("the earlier avatar stays");
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(kept).unwrap(), whole);
    assert_eq!(avatar::model(&state, "../x").await.unwrap_err().code, ErrorCode::InvalidInput);
}
