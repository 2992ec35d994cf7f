//! Hostile and odd inputs for decoding and analysis: each either decodes
//! sensibly or fails with a clear error — never a panic, never unbounded memory.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use alter_audio::{AdviceKind, Audio, AudioError, AudioStream, SPEECH_RATE, decode_file, quality_report};

fn wav_header(rate: u32, channels: u16, data_bytes: u32) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend(b"RIFF");
    h.extend(36u32.wrapping_add(data_bytes).to_le_bytes());
    h.extend(b"WAVEfmt ");
    h.extend(16u32.to_le_bytes());
    h.extend(1u16.to_le_bytes()); // PCM
    h.extend(channels.to_le_bytes());
    h.extend(rate.to_le_bytes());
    h.extend((rate * channels as u32 * 2).to_le_bytes());
    h.extend((channels * 2).to_le_bytes());
    h.extend(16u16.to_le_bytes());
    h.extend(b"data");
    h.extend(data_bytes.to_le_bytes());
    h
}

fn write_pcm16(path: &Path, rate: u32, channels: u16, frames: &[Vec<f32>]) {
    let spec =
        hound::WavSpec { channels, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for f in frames {
        for &s in f {
            w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16).unwrap();
        }
    }
    w.finalize().unwrap();
}

fn tone(rate: u32, secs: f32, f: f32, amp: f32) -> Vec<f32> {
    (0..(rate as f32 * secs) as usize)
        .map(|i| (i as f32 * f * std::f32::consts::TAU / rate as f32).sin() * amp)
        .collect()
}

fn lcg_noise(n: usize, amp: f32) -> Vec<f32> {
    let mut seed = 7u32;
    (0..n)
        .map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((seed >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0) * amp
        })
        .collect()
}

#[test]
fn random_bytes_named_wav_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("noise.wav");
    std::fs::write(&p, lcg_noise(10_000, 1.0).iter().map(|x| (x * 127.0) as i8 as u8).collect::<Vec<u8>>()).unwrap();
    let e = decode_file(&p, SPEECH_RATE).unwrap_err();
    assert!(matches!(e, AudioError::Unsupported { .. }), "{e:?}");
    assert!(e.to_string().contains("not a readable audio file"));
}

#[test]
fn empty_and_zero_sample_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(decode_file(&empty, SPEECH_RATE), Err(AudioError::Unsupported { .. })));
    let zero = dir.path().join("zero.wav");
    write_pcm16(&zero, 16_000, 1, &[]);
    let e = decode_file(&zero, SPEECH_RATE).unwrap_err();
    assert!(matches!(e, AudioError::Empty { .. }), "{e:?}");
    let missing = dir.path().join("missing.wav");
    assert!(matches!(decode_file(&missing, SPEECH_RATE), Err(AudioError::Io { .. })));
}

#[test]
fn header_claiming_2_pow_31_samples_decodes_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("liar.wav");
    // The data chunk claims 2^31 frames (4 GiB); only 0.5 s follows.
    let mut bytes = wav_header(16_000, 1, u32::MAX - 100);
    for s in tone(16_000, 0.5, 200.0, 0.3) {
        bytes.extend(((s * 32767.0) as i16).to_le_bytes());
    }
    std::fs::write(&p, bytes).unwrap();
    let a = decode_file(&p, SPEECH_RATE).unwrap();
    assert_eq!(a.samples.len(), 8_000);
}

#[test]
fn odd_rates_and_six_channels_downmix_and_resample() {
    let dir = tempfile::tempdir().unwrap();
    for rate in [8_000u32, 96_000] {
        let p = dir.path().join(format!("r{rate}.wav"));
        write_pcm16(&p, rate, 1, &[tone(rate, 1.0, 300.0, 0.5)]);
        let a = decode_file(&p, SPEECH_RATE).unwrap();
        assert_eq!(a.sample_rate, SPEECH_RATE);
        assert_eq!(a.samples.len(), 16_000, "rate {rate}");
        let st = alter_audio::track_pitch(&a, &Default::default()).unwrap().stats();
        assert!((st.median_hz - 300.0).abs() < 6.0, "rate {rate}: pitch {}", st.median_hz);
    }
    // 6 channels: a tone on channel 0 only, silence elsewhere → mono at 1/6 amplitude.
    let p = dir.path().join("six.wav");
    let t = tone(48_000, 0.5, 440.0, 0.6);
    let frames: Vec<Vec<f32>> = t.iter().map(|&s| vec![s, 0.0, 0.0, 0.0, 0.0, 0.0]).collect();
    write_pcm16(&p, 48_000, 6, &frames);
    let s = AudioStream::open(&p, SPEECH_RATE).unwrap();
    assert_eq!(s.source_channels(), 6);
    let a = decode_file(&p, SPEECH_RATE).unwrap();
    assert_eq!(a.samples.len(), 8_000);
    let peak = a.samples[1000..7000].iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!((peak - 0.1).abs() < 0.01, "peak {peak}");
}

fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn one_hour_file_streams_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hour.wav");
    let rate = 16_000u32;
    let frames = rate as u64 * 3600;
    let data_bytes = (frames * 2) as u32;
    // Sparse file: a header, a tone at the start, then zeros up to one hour.
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(&wav_header(rate, 1, data_bytes)).unwrap();
    for s in tone(rate, 1.0, 220.0, 0.3) {
        f.write_all(&((s * 32767.0) as i16).to_le_bytes()).unwrap();
    }
    f.set_len(44 + data_bytes as u64).unwrap();
    f.seek(SeekFrom::End(0)).unwrap();
    drop(f);

    // Whole-file decode refuses instead of allocating 230 MB.
    assert!(matches!(decode_file(&p, rate), Err(AudioError::TooLong { .. })));

    let before = peak_rss_kib();
    let mut s = AudioStream::open(&p, rate).unwrap();
    let (mut total, mut biggest) = (0u64, 0usize);
    while let Some(c) = s.next_chunk().unwrap() {
        total += c.len() as u64;
        biggest = biggest.max(c.len());
    }
    assert_eq!(total, frames);
    assert!(biggest <= 64 * 1024, "chunk of {biggest} samples");
    if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
        // The decoded hour would be 230 MB; the stream must stay far below.
        assert!(a.saturating_sub(b) < 64 * 1024, "peak RSS grew by {} KiB", a - b);
    }
}

#[test]
fn silence_noise_and_clipping_get_the_right_advice() {
    let kinds = |a: &Audio| quality_report(a).advice.iter().map(|x| x.kind).collect::<Vec<_>>();
    let silence = Audio::new(vec![0.0; 16_000 * 5], 16_000);
    let q = quality_report(&silence);
    assert!(!q.usable && kinds(&silence).contains(&AdviceKind::Silent));
    assert_eq!(q.speech_ratio, 0.0);

    let noise = Audio::new(lcg_noise(16_000 * 5, 0.3), 16_000);
    let q = quality_report(&noise);
    assert!(!q.usable, "{q:?}");
    assert!(q.speech_ratio < 0.05);

    // Syllable-like bursts, gain pushed so the peaks flatten at full scale.
    let mut clipped = Vec::new();
    for k in 0..25 {
        let burst: Vec<f32> = tone(16_000, 0.12, 150.0 + k as f32, 3.0).iter().map(|s| s.clamp(-1.0, 1.0)).collect();
        clipped.extend(burst);
        clipped.extend(vec![0.0; 1_600]);
    }
    let clipped = Audio::new(clipped, 16_000);
    let q = quality_report(&clipped);
    assert!(q.clipping_ratio > 0.1 && kinds(&clipped).contains(&AdviceKind::Clipping), "{q:?}");
    assert!(!q.usable);

    let quiet = Audio::new(
        (0..25).flat_map(|k| tone(16_000, 0.12, 150.0 + k as f32, 0.004).into_iter().chain(vec![0.0; 1_600])).collect(),
        16_000,
    );
    let q = quality_report(&quiet);
    assert!(kinds(&quiet).contains(&AdviceKind::TooQuiet), "{q:?}");
    assert!(q.advice.iter().any(|a| a.message.contains("move closer")));
}

#[test]
fn wav_round_trip_and_bad_writes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out.wav");
    let a = Audio::new(tone(22_050, 0.3, 440.0, 0.5).into_iter().chain([f32::NAN, 7.0, -7.0]).collect(), 22_050);
    alter_audio::write_wav(&p, &a).unwrap();
    let b = alter_audio::decode_file(&p, 22_050).unwrap();
    assert_eq!(b.samples.len(), a.samples.len());
    assert_eq!(b.samples[a.samples.len() - 3], 0.0);
    assert!(b.samples[a.samples.len() - 2] > 0.99);
    assert!(alter_audio::write_wav(&dir.path().join("no/such/dir.wav"), &a).is_err());
    assert!(alter_audio::write_wav(&p, &Audio::new(vec![0.0], 0)).is_err());
}
