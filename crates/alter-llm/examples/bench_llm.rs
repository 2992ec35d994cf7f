//! `cargo run --release -p alter-llm --example bench_llm -- MODEL.gguf [threads] [--no-baseline]`
//! Prints prefill/decode tok/s, ours beside llama.cpp.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(model) = args.next() else {
        eprintln!("usage: bench_llm MODEL.gguf [threads] [--no-baseline]");
        std::process::exit(2);
    };
    let mut opts = alter_llm::bench::BenchOptions::new(model.into());
    for a in args {
        if a == "--no-baseline" {
            opts.baseline = false;
        } else if let Ok(n) = a.parse() {
            opts.threads = n;
        } else if let Some(l) = a.strip_prefix("--lens=") {
            opts.prompt_lens = l.split(',').filter_map(|x| x.parse().ok()).collect();
        }
    }
    match alter_llm::bench::run_bench(&opts) {
        Ok(r) => println!("{r}"),
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::exit(1);
        }
    }
}
