//! Audio devices on a machine that may have none (CI, servers): opening the
//! default microphone or speaker either works or fails with a clear Audio
//! error — never a panic or a hang. File and memory sources/sinks behave like
//! devices for the conversation loop.

use std::time::{Duration, Instant};

use alter_audio::io::{AudioSink, AudioSource, FileSource, MemorySink, MemorySource, Microphone, Speaker, WavSink};
use alter_audio::{Audio, AudioError};
use alter_core::{ErrorCode, HasErrorCode};

#[test]
fn null_or_missing_devices_are_non_fatal() {
    let t = Instant::now();
    match Microphone::open_default(16_000) {
        Ok(mut mic) => {
            // A device exists (or ALSA's null plugin): reading must not hang forever.
            let _ = mic.read_chunk();
        }
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::Audio, "{e}");
            assert!(matches!(e, AudioError::NoDevice { .. } | AudioError::Device { .. }));
        }
    }
    match Speaker::open_default(22_050) {
        Ok(mut s) => {
            s.write(&[0.0; 2_205]).unwrap();
            s.finish().unwrap();
        }
        Err(e) => assert_eq!(e.code(), ErrorCode::Audio, "{e}"),
    }
    assert!(t.elapsed() < Duration::from_secs(30));
}

#[test]
fn files_and_buffers_stand_in_for_devices() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("loop.wav");
    let tone: Vec<f32> = (0..8_000).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
    let mut sink = WavSink::create(&p, 16_000).unwrap();
    let mut src = MemorySource::new(Audio::new(tone.clone(), 16_000), 333);
    while let Some(c) = src.read_chunk().unwrap() {
        sink.write(&c).unwrap();
    }
    sink.finish().unwrap();
    let mut file = FileSource::open(&p, 16_000).unwrap();
    let mut mem = MemorySink { rate: 16_000, samples: Vec::new() };
    while let Some(c) = file.read_chunk().unwrap() {
        mem.write(&c).unwrap();
    }
    assert_eq!(mem.samples.len(), tone.len());
    assert!(mem.samples.iter().zip(&tone).all(|(a, b)| (a - b).abs() < 1e-3));
}
