//! `alter build` under faults.
//! - Killed outright (SIGKILL: no handler, no cleanup) at points spread over
//!   the build — during ingest, voice and persona — then run again, it ends
//!   with the same twin as a build that was never interrupted: the same
//!   passages, the same owner's voice profile and tuning, the same persona.
//! - On a disk that fills up, it stops with a clear error, and a build once
//!   there is room finishes.
//!
//! Needs `ALTER_MODELS_DIR` with `alter models fetch` done; without it the
//! test fails with the fix, unless `ALTER_SKIP_MODEL_TESTS=1`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use alter_models::testing::models_dir_or_skip;
use serde_json::Value;

/// The two tests build the same twin from scratch: run alone, each is timed
/// on a machine the other is not loading.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval")
}

fn build(home: &Path, models: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alter"));
    cmd.env("ALTER_HOME", home)
        .env("ALTER_MODELS_DIR", models)
        .args(["--json", "build", "--name", "Maya", "--selftest", "0"])
        .arg(eval_dir())
        .stdin(Stdio::null());
    cmd
}

fn finish(home: &Path, models: &Path) -> Value {
    let out = build(home, models).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What the twin knows and is: its passages, persona profile and voice.
async fn twin_state(home: &Path, report: &Value) -> Value {
    let db = alter_store::TwinDb::open(&home.join("twins/maya/twin.db")).await.unwrap();
    let profile = alter_persona::store::load_profile(db.pool()).await.unwrap().map(|(_, p)| p);
    let chunks: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT d.file_name, c.location, c.text FROM kn_chunks c JOIN kn_documents d ON d.id = c.document_id \
         ORDER BY d.file_name, c.ord",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    db.close().await;
    serde_json::json!({
        "profile": profile,
        "chunks": chunks,
        "owner_voice": report["voice"]["profile"],
        "tuning": report["voice"]["tuning"],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_build_resumes_and_ends_with_the_same_twin() {
    let Some(models) = models_dir_or_skip() else { return };
    let _alone = SERIAL.lock().await;
    let straight = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let whole = finish(straight.path(), &models);
    let took = started.elapsed();

    // Kill points as fractions of an uninterrupted build, so they land in
    // different stages on a fast machine and a slow one alike. Each run
    // resumes where the last one stopped, so each is killed early in what is
    // left: after 45 % in all, the last run still has well over twice the
    // time it is given to do.
    let killed = tempfile::tempdir().unwrap();
    let mut interrupted = 0;
    for fraction in [0.05, 0.2, 0.2] {
        let mut child = build(killed.path(), &models).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(took.mul_f64(fraction).max(Duration::from_millis(300)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            interrupted += 1;
        }
        child.wait().unwrap();
    }
    eprintln!("{interrupted} of 3 runs killed; an uninterrupted build took {took:?}");
    assert!(interrupted >= 2, "the build finished before it could be killed ({took:?} uninterrupted)");
    let resumed = finish(killed.path(), &models);
    // The documents ingested before a kill are kept, not embedded again.
    assert_eq!(resumed["ingest"]["unchanged"], 4, "{}", resumed["ingest"]);
    assert_eq!(twin_state(killed.path(), &resumed).await, twin_state(straight.path(), &whole).await);
}

#[test]
fn a_build_on_a_full_disk_stops_with_a_clear_error_and_finishes_once_there_is_room() {
    let Some(models) = models_dir_or_skip() else { return };
    let _alone = SERIAL.blocking_lock();
    let home = tempfile::tempdir().unwrap();
    // `ulimit -f` caps the size of any file the build writes, as a full disk
    // would (SIGXFSZ ignored, so writes fail instead of killing the process).
    let program = build(home.path(), &models);
    let args: Vec<String> = program.get_args().map(|a| format!("'{}'", a.to_string_lossy())).collect();
    let script = format!("trap '' XFSZ; ulimit -f 1000; exec '{}' {}", env!("CARGO_BIN_EXE_alter"), args.join(" "));
    let out = Command::new("sh")
        .args(["-c", &script])
        .env("ALTER_HOME", home.path())
        .env("ALTER_MODELS_DIR", &models)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success(), "the build succeeded under a file size limit");
    let err = String::from_utf8_lossy(&out.stderr);
    let said = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().to_lowercase();
    assert!(said.contains("disk") && said.contains("try again"), "{err}");
    let done = finish(home.path(), &models);
    assert_eq!(done["ingest"]["files"], 4, "{}", done["ingest"]);
    assert_eq!(done["ingest"]["failed"].as_array().map(Vec::len), Some(0), "{}", done["ingest"]);
}
