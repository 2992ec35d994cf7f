use std::time::Instant;
fn main() {
    let dir = std::path::PathBuf::from(std::env::var("ALTER_MODELS_DIR").unwrap()).join(alter_knowledge::embed::DEFAULT_MODEL_DIR);
    let e = alter_knowledge::embed::Embedder::load(&dir, &Default::default()).unwrap();
    let mut rng = alter_knowledge::synth::Rng::new(1);
    let texts: Vec<String> = (0..96).map(|_| alter_knowledge::synth::paragraph(&mut rng, 9)).collect();
    e.embed_passages(&texts[..8]).unwrap();
    let t = Instant::now();
    e.embed_passages(&texts).unwrap();
    let s = t.elapsed().as_secs_f64();
    println!("{} chunks in {:.2} s = {:.1} chunks/s", texts.len(), s, texts.len() as f64 / s);
}
