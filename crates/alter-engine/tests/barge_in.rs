//! Barge-in measured on real audio with the real voice detector: the twin's
//! own replies (its real synthesised voice) come back into the microphone at
//! several speaker-to-microphone couplings, with a room's reflections and
//! noise; the gate must never take them for the person (false triggers), and
//! must catch the evaluation set's spoken questions said over them, fast.
//! Prints the figures; needs the models (`ALTER_SKIP_MODEL_TESTS=1` skips).

use std::path::{Path, PathBuf};

use alter_core::Settings;
use alter_engine::Engine;
use alter_engine::echo::{EchoGate, EchoGateOptions, SILENT_DB, Verdict, level_db};
use alter_tts::SpeakOptions;
use alter_vad::{Vad, VadOptions};

const RATE: u32 = alter_audio::SPEECH_RATE;
const CHUNK: usize = 512; // 32 ms, the detector's window
const REPLIES: [&str; 6] = [
    "I joined Bluefin Logistics in September twenty twenty-one, in the Rotterdam office.",
    "The dispatch planner launch is planned for the third quarter, after the pilot in Antwerp.",
    "My team is four engineers and one designer; we own route planning end to end.",
    "Thanks for asking. The depot in Leeds opens at nine, and the vans leave by ten.",
    "That isn't in my notes. You could ask me about the depots or the planner instead.",
    "We review requirements every two weeks, on Tuesday mornings at ten.",
];

fn eval_audio(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/audio").join(name)
}

/// The microphone's view of a reply: delayed, with two reflections, plus room noise.
fn echo_of(reply: &[f32], coupling_db: f32, seed: &mut u64) -> Vec<f32> {
    let g = 10f32.powf(coupling_db / 20.0);
    let at = |ms: usize| ms * RATE as usize / 1000;
    let taps = [(at(25), g), (at(62), 0.35 * g), (at(108), 0.15 * g)];
    let mut mic = vec![0.0f32; reply.len() + at(200)];
    for (delay, gain) in taps {
        for (i, s) in reply.iter().enumerate() {
            mic[i + delay] += gain * s;
        }
    }
    let noise = 10f32.powf(-55.0 / 20.0) * 3f32.sqrt();
    for s in &mut mic {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *s += noise * ((*seed >> 11) as f32 / (1u64 << 53) as f32 * 2.0 - 1.0);
    }
    mic
}

/// The reference level the player reports: the loudest 20 ms block of the last 200 ms it played.
fn reference_db(reply: &[f32], end: usize) -> Option<f32> {
    if end >= reply.len() + CHUNK {
        return None;
    }
    let block = RATE as usize / 50;
    let start = end.saturating_sub(RATE as usize / 5);
    let end = end.min(reply.len());
    let loudest = reply[start.min(end)..end].chunks(block).map(level_db).fold(-120.0f32, f32::max);
    Some(if loudest <= SILENT_DB { -120.0 } else { loudest })
}

/// Runs the gate over `mic` while `reply` plays; the times (s) it said the person speaks.
fn detect(vad: &mut Vad, mic: &[f32], reply: &[f32]) -> Vec<f32> {
    vad.reset();
    let mut gate = EchoGate::new(EchoGateOptions::default());
    let mut onsets = Vec::new();
    let mut speaking = false;
    for (i, chunk) in mic.chunks(CHUNK).enumerate() {
        vad.push(chunk).expect("detector runs");
        let end = (i + 1) * CHUNK;
        let verdict = gate.push(32.0, vad.last_probability(), level_db(chunk), reference_db(reply, end));
        let now = verdict == Verdict::PersonSpeaking;
        if now && !speaking {
            onsets.push(end as f32 / RATE as f32);
        }
        speaking = now;
    }
    onsets
}

fn scale_to(samples: &[f32], dbfs: f32) -> Vec<f32> {
    let gain = 10f32.powf((dbfs - level_db(samples)) / 20.0);
    samples.iter().map(|s| s * gain).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_twins_voice_never_barges_in_and_the_persons_does() {
    let Some(models) = alter_models::testing::models_dir_or_skip() else { return };
    let home = tempfile::tempdir().unwrap();
    let settings = Settings { home: Some(home.path().to_path_buf()), models_dir: Some(models.clone()), threads: 0 };
    let engine = Engine::open(settings.resolve().unwrap()).await.unwrap();
    let mut replies = Vec::new();
    for text in REPLIES {
        let speech = engine.speech(text, None, SpeakOptions::default()).await.unwrap();
        replies.push(alter_audio::resample(&speech.samples, speech.sample_rate, RATE).unwrap());
    }
    let reply_seconds: f32 = replies.iter().map(|r| r.len() as f32 / RATE as f32).sum();
    let mut vad = Vad::load(&models, VadOptions::default()).unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;

    eprintln!("barge-in gate: {} replies, {reply_seconds:.1} s of the twin's voice per coupling", replies.len());
    for coupling in [-20.0, -12.0, -6.0] {
        // False triggers: the twin's echo alone.
        let false_triggers: usize =
            replies.iter().map(|r| detect(&mut vad, &echo_of(r, coupling, &mut seed), r).len()).sum();
        // Barge-in: each spoken question said 1.5 s into a reply, at a close talker's level.
        let mut latencies = Vec::new();
        let mut missed = 0;
        for (n, reply) in replies.iter().cycle().take(10).enumerate() {
            let question = alter_audio::decode_file(&eval_audio(&format!("d{:02}.wav", n + 1)), RATE).unwrap();
            let question = scale_to(&question.samples, -18.0);
            let onset_in_clip = question.chunks(160).position(|c| level_db(c) > -45.0).unwrap_or(0) * 160;
            let mut mic = echo_of(reply, coupling, &mut seed);
            let at = (1.5 * RATE as f32) as usize;
            mic.resize(mic.len().max(at + question.len()), 0.0);
            for (i, s) in question.iter().enumerate() {
                mic[at + i] += s;
            }
            let spoke_at = (at + onset_in_clip) as f32 / RATE as f32;
            match detect(&mut vad, &mic, reply).into_iter().find(|&t| t >= spoke_at - 0.05) {
                Some(t) => latencies.push(((t - spoke_at) * 1000.0).max(0.0)),
                None => missed += 1,
            }
        }
        latencies.sort_by(f32::total_cmp);
        let median = latencies.get(latencies.len() / 2).copied().unwrap_or(f32::NAN);
        let worst = latencies.last().copied().unwrap_or(f32::NAN);
        eprintln!(
            "  coupling {coupling:>5.0} dB: false triggers {false_triggers} in {reply_seconds:.0} s; \
             barge-in caught {}/10, onset to detection median {median:.0} ms, worst {worst:.0} ms",
            latencies.len()
        );
        assert_eq!(false_triggers, 0, "the twin's own voice stopped it at {coupling} dB coupling");
        if coupling <= -12.0 {
            assert!(missed <= 1, "{missed} of 10 questions said over the twin were missed at {coupling} dB");
            assert!(median <= 200.0, "barge-in took {median} ms (median) at {coupling} dB");
        }
    }
}
