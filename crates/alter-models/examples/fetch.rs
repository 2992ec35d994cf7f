//! Provisions the catalog models without the full CLI (same as `alter models fetch`).
//! Usage: `ALTER_MODELS_DIR=DIR [ALTER_WHEEL_CACHE=DIR] cargo run -p alter-models --example fetch [ID...]`

fn main() {
    let Some(dir) = std::env::var_os("ALTER_MODELS_DIR") else {
        eprintln!("set ALTER_MODELS_DIR");
        std::process::exit(2);
    };
    let mut opts = alter_models::FetchOptions::new(std::path::PathBuf::from(dir));
    opts.wheel_cache = std::env::var_os("ALTER_WHEEL_CACHE").map(Into::into);
    opts.only = std::env::args().skip(1).collect();
    let start = std::time::Instant::now();
    match alter_models::fetch(&opts) {
        Ok(report) => {
            for m in report.models {
                println!("{:<36} {:?} {}", m.id, m.action, m.bytes);
            }
            println!("{:.2} s", start.elapsed().as_secs_f64());
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
