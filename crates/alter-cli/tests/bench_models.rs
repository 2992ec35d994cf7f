//! `alter bench models` loads every built-in model in one process and runs
//! one real inference with each (speech out, speech in, voice activity,
//! speaker embedding, both embedders, both LLMs); every row must succeed.
//! Needs `ALTER_MODELS_DIR` with `alter models fetch` done; without it the
//! test fails with the fix, unless `ALTER_SKIP_MODEL_TESTS=1`.

use std::process::Command;

#[test]
fn every_model_loads_and_runs_once() {
    let Some(models) = alter_models::testing::models_dir_or_skip() else { return };
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_alter"))
        .env("ALTER_HOME", home.path())
        .env("ALTER_MODELS_DIR", &models)
        .args(["--json", "bench", "models"])
        .output()
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let rows = report["benchmarks"][0]["data"].as_array().expect("rows").clone();
    let ids: Vec<&str> = rows.iter().filter_map(|r| r["model"].as_str()).collect();
    for id in alter_models::ModelId::ALL.iter().filter(|id| **id != alter_models::ModelId::OnnxRuntime) {
        assert!(ids.contains(&id.as_str()), "{} was not exercised: {ids:?}", id.as_str());
    }
    for row in &rows {
        assert_eq!(row["ok"], true, "{row}");
    }
    // The chain is real: Whisper hears what the voice said.
    let heard = rows.iter().find(|r| r["model"] == "whisper-base").unwrap()["result"].as_str().unwrap().to_lowercase();
    assert!(heard.contains("budget") && heard.contains("friday"), "{heard}");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
