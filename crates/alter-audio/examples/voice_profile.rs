//! Prints the voice-profile figures for a set of samples (quality, pitch,
//! rate, prosody, and speaker-embedding similarity between the first two):
//! `cargo run --release -p alter-audio --example voice_profile -- a.wav b.wav`
//! with ALTER_MODELS_DIR set (for the speaker encoder).

use std::path::PathBuf;

use alter_audio::{SpeakerEncoder, VoiceProfile, analyse_sample, decode_file};

fn main() -> anyhow::Result<()> {
    let files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let mut samples = Vec::new();
    let mut clips = Vec::new();
    for f in &files {
        let audio = decode_file(f, 16_000)?;
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let a = analyse_sample(&name, &audio)?;
        let q = &a.quality;
        println!(
            "{name}: {:.2} s, speech {:.1} dBFS, peak {:.1} dBFS, noise floor {:.1} dBFS, SNR {:.1} dB, clipping {:.4} %, speech ratio {:.2}, usable {}",
            q.duration_s,
            q.speech_dbfs,
            q.peak_dbfs,
            q.noise_floor_dbfs,
            q.snr_db,
            q.clipping_ratio * 100.0,
            q.speech_ratio,
            q.usable
        );
        for adv in &q.advice {
            println!("    advice: {}", adv.message);
        }
        println!(
            "    pitch median {:.1} Hz (p10 {:.1}, p90 {:.1}, range {:.1} st, sd {:.2} st, voiced {:.2}); rate {:.2} syll/s ({} syllables in {:.2} s of speech)",
            a.pitch.median_hz,
            a.pitch.p10_hz,
            a.pitch.p90_hz,
            a.pitch.range_semitones,
            a.pitch.std_semitones,
            a.pitch.voiced_ratio,
            a.rate.syllables_per_s,
            a.rate.syllables,
            a.rate.speech_s
        );
        samples.push(a);
        clips.push(audio);
    }
    let mut profile = VoiceProfile::from_samples(samples)?;
    println!(
        "profile: pitch median {:.1} Hz, range {:.1} st, rate {:.2} syll/s, speech level {:.1} dBFS",
        profile.pitch.median_hz, profile.pitch.range_semitones, profile.syllables_per_s, profile.speech_dbfs
    );
    if let Some(dir) = std::env::var_os("ALTER_MODELS_DIR") {
        let enc = SpeakerEncoder::load(&PathBuf::from(dir))?;
        let embeds: Vec<Vec<f32>> = clips.iter().map(|c| enc.embed(c)).collect::<Result<_, _>>()?;
        if embeds.len() >= 2 {
            println!(
                "speaker similarity (cosine) {} vs {}: {:.3}",
                files[0].display(),
                files[1].display(),
                VoiceProfile::cosine(&embeds[0], &embeds[1]).unwrap_or(f32::NAN)
            );
        }
        profile.embedding = embeds.first().cloned();
    }
    Ok(())
}
