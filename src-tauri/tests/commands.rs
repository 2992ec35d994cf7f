//! The IPC commands called directly (the same functions the `#[tauri::command]`
//! wrappers call) with a real engine on a temporary data folder: good input,
//! bad input, unknown ids, and a data folder that cannot be opened.

use alter_app::AppState;
use alter_app::commands::{status, twins};
use alter_core::{Config, ErrorCode, TwinParams};

async fn fresh() -> (tempfile::TempDir, AppState) {
    let home = tempfile::tempdir().expect("temp dir");
    let state = AppState::open(Config::rooted(home.path())).await;
    assert!(state.startup_error().is_none(), "{:?}", state.startup_error());
    (home, state)
}

fn named(name: &str, role: &str) -> TwinParams {
    TwinParams { role: role.to_owned(), ..TwinParams::named(name) }
}

#[tokio::test]
async fn create_list_get_update_delete() {
    let (_home, state) = fresh().await;
    let status = status::app_status_of(&state);
    assert!(status.ready && status.error.is_none());
    assert!(status.database.as_deref().is_some_and(|d| d.ends_with("alter.db")));

    assert!(twins::list(&state).await.unwrap().is_empty());
    let maya = twins::create(&state, named("  Maya Okafor ", "Mortgage advisor")).await.unwrap();
    assert_eq!((maya.id.as_str(), maya.name.as_str()), ("maya-okafor", "Maya Okafor"));
    assert_eq!(maya.score, None);
    let wang = twins::create(&state, named("王敏", "")).await.unwrap();
    assert_eq!(twins::list(&state).await.unwrap().len(), 2);

    let details = twins::get(&state, maya.id.as_str()).await.unwrap();
    assert_eq!(details.summary, maya);
    assert_eq!(details.params.role, "Mortgage advisor");
    assert_eq!(details.params.languages, TwinParams::default().languages);

    let updated = twins::update(&state, maya.id.as_str(), named("Maya O.", "Team lead")).await.unwrap();
    assert_eq!((updated.name.as_str(), updated.role.as_str()), ("Maya O.", "Team lead"));

    twins::delete(&state, wang.id.as_str()).await.unwrap();
    let left = twins::list(&state).await.unwrap();
    assert_eq!(left.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["maya-okafor"]);
}

#[tokio::test]
async fn bad_names_are_invalid_input_with_a_plain_message() {
    let (_home, state) = fresh().await;
    let huge = "n".repeat(10 << 20);
    let cases: [(&str, &str); 6] = [
        ("", "the name is empty"),
        ("   \t ", "the name is empty"),
        (&huge, "the name is too long"),
        ("Ma\u{0}ya", "the name contains control characters"),
        ("Ma\nya", "the name contains control characters"),
        ("\u{1b}[31mred", "the name contains control characters"),
    ];
    for (name, expected) in cases {
        let err = twins::create(&state, named(name, "")).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{name:.20?}");
        assert!(err.message.starts_with(expected), "{name:.20?}: {}", err.message);
        assert!(err.message.len() < 200, "the message must not echo a huge input");
    }
    // A bad role is reported against the role.
    let err = twins::create(&state, named("Maya", &"r".repeat(10 << 20))).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.starts_with("the role is too long"), "{}", err.message);
    // Updates are validated the same way.
    let maya = twins::create(&state, named("Maya", "")).await.unwrap();
    let err = twins::update(&state, maya.id.as_str(), named("\u{7}", "")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    // Nothing bad was stored.
    assert_eq!(twins::list(&state).await.unwrap().len(), 1);
}

#[tokio::test]
async fn malformed_and_unknown_ids() {
    let (_home, state) = fresh().await;
    let huge = "a".repeat(10 << 20);
    for bad in ["", "../etc", "Maya", "a b", "a/b", "\u{0}", &huge] {
        let err = twins::get(&state, bad).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad:.20?}");
        assert!(err.message.len() < 300, "the message must not echo a huge id");
        let err = twins::delete(&state, bad).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad:.20?}");
        let err = twins::update(&state, bad, named("Maya", "")).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad:.20?}");
    }
    for unknown in ["nobody", "maya-okafor-2"] {
        assert_eq!(twins::get(&state, unknown).await.unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(twins::update(&state, unknown, named("X", "")).await.unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(twins::delete(&state, unknown).await.unwrap_err().code, ErrorCode::NotFound);
    }
}

#[tokio::test]
async fn corrupt_database_is_reported_not_fatal() {
    let home = tempfile::tempdir().unwrap();
    let db = Config::rooted(home.path()).app_db();
    std::fs::write(&db, "this is not a database\n".repeat(400)).unwrap();
    let state = AppState::open(Config::rooted(home.path())).await;

    let status = status::app_status_of(&state);
    assert!(!status.ready);
    let error = status.error.expect("an error report");
    assert_eq!(error.code, ErrorCode::Database);
    assert!(error.message.contains("damaged"), "{}", error.message);
    assert_eq!(status.database.as_deref(), Some(db.display().to_string().as_str()));
    // Every command answers with the same typed report instead of panicking.
    assert_eq!(twins::list(&state).await.unwrap_err(), error);
    assert_eq!(twins::create(&state, named("Maya", "")).await.unwrap_err(), error);
    // The damaged file is left alone for the person to recover.
    assert_eq!(std::fs::read(&db).unwrap().len(), 23 * 400);
}

#[tokio::test]
async fn unwritable_home_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the data folder should be: cannot be created even as root.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let state = AppState::open(Config::rooted(&blocker.join("home"))).await;
    let status = status::app_status_of(&state);
    assert!(!status.ready);
    let error = status.error.expect("an error report");
    assert_eq!(error.code, ErrorCode::Io, "{error:?}");
    assert!(error.message.contains("ALTER_HOME"), "the message says what to do: {}", error.message);
    assert_eq!(twins::get(&state, "maya").await.unwrap_err().code, ErrorCode::Io);
}

#[tokio::test]
async fn importing_what_is_not_a_model_is_refused_and_copies_nothing() {
    let (home, state) = fresh().await;
    let scratch = tempfile::tempdir().unwrap();
    let fake = scratch.path().join("model.gguf");
    std::fs::write(&fake, b"GGUF but not really a model").unwrap();
    for path in [fake.display().to_string(), "/no/such/model.gguf".into(), "".into(), "a\0b".into()] {
        let err = alter_app::commands::models::import(&state, &path).await.unwrap_err();
        assert!(matches!(err.code, ErrorCode::InvalidInput | ErrorCode::Io | ErrorCode::BadFile), "{path:?}: {err:?}");
    }
    assert!(!home.path().join("models").join("user").exists(), "nothing was copied");
}
