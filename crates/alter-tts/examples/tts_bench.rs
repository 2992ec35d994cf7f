//! Prints the speech-output benchmark: `ALTER_MODELS_DIR=... cargo run -p alter-tts --example tts_bench`.
//! Pass `--no-baseline` to skip installing and running PyPI `piper-tts`.

fn main() {
    let Some(models) = std::env::var_os("ALTER_MODELS_DIR") else {
        eprintln!("set ALTER_MODELS_DIR (run: alter models fetch)");
        std::process::exit(2);
    };
    let options = alter_tts::bench::BenchOptions {
        threads: 2,
        venv: std::env::var_os("ALTER_BENCH_VENV").map(Into::into),
        no_baseline: std::env::args().any(|a| a == "--no-baseline"),
    };
    match alter_tts::bench::run_bench(std::path::Path::new(&models), &options) {
        Ok(report) => println!("{report}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
