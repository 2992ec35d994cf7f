//! The committed TypeScript bindings (`ui/src/bindings.ts`) must match the
//! Rust commands. Regenerate with `ALTER_UPDATE_BINDINGS=1 cargo test -p alter-app --test bindings`.

use std::path::Path;

#[test]
fn committed_bindings_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(alter_app::bindings::BINDINGS_PATH);
    if std::env::var_os("ALTER_UPDATE_BINDINGS").is_some_and(|v| v == "1") {
        alter_app::bindings::export_bindings(&committed).expect("write bindings");
        eprintln!("wrote {}", committed.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("bindings.ts");
    alter_app::bindings::export_bindings(&fresh).expect("generate bindings");
    let fresh = std::fs::read_to_string(&fresh).unwrap();
    let old = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        old == fresh,
        "{} is out of date: run `ALTER_UPDATE_BINDINGS=1 cargo test -p alter-app --test bindings` and commit it",
        committed.display()
    );
}
