//! The Persona screen's commands with a real engine: no persona before a
//! build, the owner's facts stored by kind, reset to what was learned, and
//! unknown kinds, control characters and oversized lists refused.

use alter_app::AppState;
use alter_app::commands::{persona, twins};
use alter_core::{Config, ErrorCode, TwinParams};

async fn with_twin() -> (tempfile::TempDir, AppState, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let state = AppState::open(Config::rooted(home.path())).await;
    let twin = twins::create(&state, TwinParams::named("Maya Okafor")).await.unwrap();
    (home, state, twin.id.to_string())
}

#[tokio::test]
async fn owner_facts_are_kept_by_kind_and_reset() {
    let (_home, state, id) = with_twin().await;
    assert!(persona::persona(&state, &id).await.unwrap().is_none(), "no persona before the first build");

    let params =
        persona::set_facts(&state, &id, "role", Some(vec![" Head of dispatch ".into(), "".into()])).await.unwrap();
    assert_eq!(params.facts.get("role"), Some(&vec!["Head of dispatch".to_owned()]));
    let params = persona::set_facts(&state, &id, "location", Some(vec![])).await.unwrap();
    assert_eq!(params.facts.get("location"), Some(&vec![]), "an empty list removes the learned fact");
    // Stored with the twin, as twin.toml's [facts] would be.
    assert_eq!(twins::get(&state, &id).await.unwrap().params.facts.len(), 2);

    let params = persona::set_facts(&state, &id, "role", None).await.unwrap();
    assert!(!params.facts.contains_key("role"), "None goes back to what was learned");
}

#[tokio::test]
async fn bad_facts_are_refused_and_nothing_changes() {
    let (_home, state, id) = with_twin().await;
    let refused = |e: alter_core::ErrorReport| {
        assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
        e.message
    };
    let msg =
        refused(persona::set_facts(&state, &id, "favourite colour", Some(vec!["blue".into()])).await.unwrap_err());
    assert!(msg.contains("role") && msg.contains("employer"), "the error names the kinds: {msg}");
    refused(persona::set_facts(&state, &id, "team", Some(vec!["a\u{7}b".into()])).await.unwrap_err());
    refused(persona::set_facts(&state, &id, "team", Some(vec!["x".repeat(501)])).await.unwrap_err());
    refused(persona::set_facts(&state, &id, "interest", Some(vec!["chess".into(); 33])).await.unwrap_err());
    refused(persona::set_facts(&state, "../x", "team", None).await.unwrap_err());
    assert!(twins::get(&state, &id).await.unwrap().params.facts.is_empty());
    let unknown = persona::persona(&state, "nobody").await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
}
