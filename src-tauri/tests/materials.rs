//! The Create screen's commands called directly with a real engine: adding,
//! listing, removing and importing materials, and building with none; bad
//! paths, hostile names and unknown twins included. No models are needed.

use std::path::{Path, PathBuf};

use alter_app::AppState;
use alter_app::commands::{build, materials, twins};
use alter_core::{Config, ErrorCode, TwinParams};

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval")
}

async fn with_twin() -> (tempfile::TempDir, AppState, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let state = AppState::open(Config::rooted(home.path())).await;
    let twin = twins::create(&state, TwinParams::named("Maya Okafor")).await.unwrap();
    (home, state, twin.id.to_string())
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

#[tokio::test]
async fn documents_and_samples_are_added_checked_and_removed() {
    let (_home, state, id) = with_twin().await;
    let docs = eval_dir().join("docs");
    let added = materials::add_documents(&state, &id, vec![path(&docs), "/no/such/file.pdf".into()]).await.unwrap();
    assert_eq!(added.added.len(), 4);
    assert!(added.added.iter().all(|d| d.error.is_none() && d.chunks > 0), "{added:?}");
    assert_eq!(added.skipped.len(), 1);
    let samples = materials::add_voice_samples(&state, &id, vec![path(&eval_dir().join("voice"))]).await.unwrap();
    assert_eq!(samples.added.len(), 2);
    let q = samples.added[0].quality.as_ref().unwrap();
    assert!(q.usable && q.seconds > 5.0, "{q:?}");

    let listed = materials::materials(&state, &id).await.unwrap();
    assert_eq!((listed.documents.len(), listed.samples.len()), (4, 2));
    materials::remove_document(&state, &id, "profile.md").await.unwrap();
    materials::remove_voice_sample(&state, &id, "maya_2.wav").await.unwrap();
    let listed = materials::materials(&state, &id).await.unwrap();
    assert_eq!((listed.documents.len(), listed.samples.len()), (3, 1));
}

#[tokio::test]
async fn bad_paths_names_and_ids_are_invalid_input() {
    let (_home, state, id) = with_twin().await;
    let invalid = |e: alter_core::ErrorReport| assert_eq!(e.code, ErrorCode::InvalidInput, "{}", e.message);
    invalid(materials::add_documents(&state, &id, vec![]).await.unwrap_err());
    invalid(materials::add_documents(&state, &id, vec!["  ".into()]).await.unwrap_err());
    invalid(materials::add_documents(&state, &id, vec!["a\0b".into()]).await.unwrap_err());
    invalid(materials::add_documents(&state, &id, vec!["x".into(); 5_000]).await.unwrap_err());
    invalid(materials::add_voice_samples(&state, &id, vec![]).await.unwrap_err());
    for name in ["../../alter.db", "/etc/passwd", "", "nothing.md"] {
        invalid(materials::remove_document(&state, &id, name).await.unwrap_err());
        invalid(materials::remove_voice_sample(&state, &id, name).await.unwrap_err());
    }
    invalid(materials::import(&state, &id, "").await.unwrap_err());
    invalid(materials::import(&state, &id, "/no/such/folder").await.unwrap_err());
    invalid(materials::materials(&state, "../etc").await.unwrap_err());
    let unknown = materials::materials(&state, "nobody").await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound, "{}", unknown.message);
}

#[tokio::test]
async fn import_then_a_build_without_documents_is_refused_before_it_starts() {
    let (_home, state, id) = with_twin().await;
    let err = build::build(&state, &id, |_| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("document"), "{}", err.message);

    let imported = materials::import(&state, &id, &path(&eval_dir())).await.unwrap();
    assert_eq!((imported.documents.added.len(), imported.samples.added.len()), (4, 2));
    let again = materials::import(&state, &id, &path(&eval_dir())).await.unwrap();
    assert!(again.documents.added.is_empty() && again.documents.skipped.len() == 4, "importing twice adds nothing");
    assert_eq!(twins::get(&state, &id).await.unwrap().summary.name, "Maya Okafor");
}
