//! Runs one catalog converter by hand on a folder holding its inputs, e.g.
//! `cargo run -p alter-models --example convert -- e5s1-bert /tmp/staging`
//! (the folder must hold `e5-small-q4.bin`); prints each output's size and sha256.

use alter_core::CancelToken;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, dir] = args.as_slice() else {
        return Err("usage: convert CONVERTER FOLDER".into());
    };
    let dir = std::path::Path::new(dir);
    let before: Vec<_> = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    let started = std::time::Instant::now();
    alter_models::convert::run(name, dir, &CancelToken::new())?;
    println!("converted in {:.1} s", started.elapsed().as_secs_f64());
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !before.contains(&path) {
            let (size, sha) = alter_models::fsio::sha256_file(&path, None, &CancelToken::new())?;
            println!("{}  size = {size}  sha256 = \"{sha}\"", path.display());
        }
    }
    Ok(())
}
