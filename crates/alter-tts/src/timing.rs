//! Phoneme ids for the graph, and the timeline of phonemes and visemes from
//! the durations the graph used.
//!
//! Id layout (Piper's): `^ _ p1 _ p2 _ … pn _ $` — BOS, then every phoneme
//! followed by the pad symbol, then EOS. Each id gets a whole number of
//! frames; a phoneme's span is its own frames plus the pad after it. Stress
//! marks join the phoneme after them, length marks and diacritics the one
//! before, so the timeline lists sounds (`ˈaɪ` → `ˈa`, `ɪ`; `iː` stays one).
//!
//! Visemes (the avatar's mouth shapes), by the vowel or consonant's look:
//!
//! | viseme   | phonemes |
//! | -------- | -------- |
//! | `aa`     | a ɑ ɐ æ ʌ ä ɶ (open) |
//! | `ih`     | i ɪ ɨ ᵻ j y ʏ; s z t d n l ɾ θ ð ʃ ʒ ç k ɡ ŋ x h ʔ (teeth, tongue) |
//! | `ou`     | u ʊ ʉ ɯ w ɹ ɚ ɝ ʍ (rounded) |
//! | `ee`     | e ɛ ə ɜ ɘ ø œ ɞ (mid) |
//! | `oh`     | o ɔ ɒ ɵ (round, open) |
//! | `closed` | p b m f v (lips together or on teeth) |
//! | `rest`   | pauses, punctuation, word gaps, start and end |
//!
//! Anything not listed (rare IPA) is `ih`. Consecutive equal visemes merge.

use serde::Serialize;

use crate::TtsError;
use crate::voice::{BOS, EOS, PAD, VoiceConfig};

/// Samples per spectrogram frame in every Piper (VITS) voice.
pub const HOP: usize = 256;

/// One phoneme and when it is heard, in milliseconds from the start of its audio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimedPhoneme {
    /// IPA, or a pause: `" "` between words, or the punctuation mark.
    pub phoneme: String,
    pub start_ms: f32,
    pub end_ms: f32,
}

/// A mouth shape for the avatar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Viseme {
    Aa,
    Ih,
    Ou,
    Ee,
    Oh,
    Closed,
    Rest,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimedViseme {
    pub viseme: Viseme,
    pub start_ms: f32,
    pub end_ms: f32,
}

/// The ids for the graph and, for each id, the phoneme it stands for
/// (`None` for pad, BOS and EOS).
pub struct PhonemeIds {
    pub ids: Vec<i64>,
    pub owners: Vec<Option<char>>,
    /// Phonemes the voice has no id for (skipped, as Piper does).
    pub missing: usize,
}

pub fn phoneme_ids(phonemes: &[char], voice: &VoiceConfig) -> Result<PhonemeIds, TtsError> {
    let special = |c: char| {
        voice.phoneme_ids.get(&c).cloned().ok_or_else(|| TtsError::VoiceCorrupt {
            path: voice.name.clone().into(),
            reason: format!("the phoneme map lacks {c:?}"),
        })
    };
    let (pad, bos, eos) = (special(PAD)?, special(BOS)?, special(EOS)?);
    let mut out = PhonemeIds { ids: Vec::new(), owners: Vec::new(), missing: 0 };
    let push = |out: &mut PhonemeIds, ids: &[i64], owner: Option<char>| {
        out.ids.extend_from_slice(ids);
        out.owners.extend(std::iter::repeat_n(owner, ids.len()));
    };
    push(&mut out, &bos, None);
    push(&mut out, &pad, None);
    for &c in phonemes {
        match voice.phoneme_ids.get(&c) {
            Some(ids) => {
                push(&mut out, ids, Some(c));
                push(&mut out, &pad, None);
            }
            None => out.missing += 1,
        }
    }
    push(&mut out, &eos, None);
    Ok(out)
}

fn joins_next(c: char) -> bool {
    matches!(c, 'ˈ' | 'ˌ')
}

fn joins_previous(c: char) -> bool {
    matches!(c, 'ː' | 'ˑ' | 'ʰ' | 'ʲ' | 'ˤ' | '˞' | '\u{0300}'..='\u{036F}')
}

fn is_pause(c: char) -> bool {
    matches!(c, ' ' | '.' | ',' | '?' | '!' | ':' | ';' | '-' | '(' | ')' | '"' | '\'' | '…')
}

/// Builds the phoneme timeline from per-id frame counts.
pub fn timeline(ids: &PhonemeIds, frames: &[f32], sample_rate: u32) -> Vec<TimedPhoneme> {
    let ms_per_frame = HOP as f32 * 1000.0 / sample_rate as f32;
    let mut out: Vec<TimedPhoneme> = Vec::new();
    let mut t = 0.0f32;
    let mut pending_prefix = String::new();
    let mut pending_start: Option<f32> = None;
    for (owner, &f) in ids.owners.iter().zip(frames) {
        let start = t;
        t += f.max(0.0) * ms_per_frame;
        match owner {
            // Pad, BOS and EOS extend whatever sound came before them.
            None => {
                if !pending_prefix.is_empty() {
                    // A stress mark's pad belongs to the sound it marks.
                } else if let Some(last) = out.last_mut() {
                    last.end_ms = t;
                } else if pending_prefix.is_empty() {
                    out.push(TimedPhoneme { phoneme: " ".into(), start_ms: start, end_ms: t });
                }
            }
            Some(c) if joins_next(*c) => {
                pending_prefix.push(*c);
                pending_start.get_or_insert(start);
            }
            Some(c) if joins_previous(*c) && out.last().is_some_and(|p| !p.phoneme.chars().all(is_pause)) => {
                if let Some(last) = out.last_mut() {
                    last.phoneme.push(*c);
                    last.end_ms = t;
                }
            }
            Some(c) => {
                let mut phoneme = std::mem::take(&mut pending_prefix);
                phoneme.push(*c);
                let start = pending_start.take().unwrap_or(start);
                out.push(TimedPhoneme { phoneme, start_ms: start, end_ms: t });
            }
        }
    }
    out
}

/// The mouth shape for one phoneme (stress and length marks ignored).
pub fn viseme_of(phoneme: &str) -> Viseme {
    let Some(c) = phoneme.chars().find(|c| !joins_next(*c) && !joins_previous(*c)) else {
        return Viseme::Rest;
    };
    match c {
        c if is_pause(c) => Viseme::Rest,
        'a' | 'ɑ' | 'ɐ' | 'æ' | 'ʌ' | 'ä' | 'ɶ' => Viseme::Aa,
        'u' | 'ʊ' | 'ʉ' | 'ɯ' | 'w' | 'ɹ' | 'ɚ' | 'ɝ' | 'ʍ' => Viseme::Ou,
        'e' | 'ɛ' | 'ə' | 'ɜ' | 'ɘ' | 'ø' | 'œ' | 'ɞ' => Viseme::Ee,
        'o' | 'ɔ' | 'ɒ' | 'ɵ' => Viseme::Oh,
        'p' | 'b' | 'm' | 'f' | 'v' | 'ɱ' | 'ɸ' | 'β' => Viseme::Closed,
        _ => Viseme::Ih,
    }
}

/// Visemes from phonemes, equal neighbours merged.
pub fn visemes(phonemes: &[TimedPhoneme]) -> Vec<TimedViseme> {
    let mut out: Vec<TimedViseme> = Vec::new();
    for p in phonemes {
        let viseme = viseme_of(&p.phoneme);
        match out.last_mut() {
            Some(last) if last.viseme == viseme => last.end_ms = p.end_ms,
            _ => out.push(TimedViseme { viseme, start_ms: p.start_ms, end_ms: p.end_ms }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice() -> VoiceConfig {
        let map = [('_', 0), ('^', 1), ('$', 2), (' ', 3), ('.', 10), ('h', 20), ('i', 21), ('ˈ', 120), ('ː', 122)];
        VoiceConfig {
            name: "test".into(),
            sample_rate: 22050,
            espeak_voice: "en-us".into(),
            language: "en".into(),
            noise_scale: 0.667,
            length_scale: 1.0,
            noise_w: 0.8,
            num_speakers: 1,
            speakers: Default::default(),
            phoneme_ids: map.iter().map(|(c, i)| (*c, vec![*i as i64])).collect(),
        }
    }

    #[test]
    fn ids_interleave_pad() {
        let ids = phoneme_ids(&['h', 'ˈ', 'i', 'ː', '.', '❤'], &voice()).unwrap();
        assert_eq!(ids.ids, vec![1, 0, 20, 0, 120, 0, 21, 0, 122, 0, 10, 0, 2]);
        assert_eq!(ids.missing, 1);
    }

    #[test]
    fn timeline_merges_marks_and_sums_frames() {
        let ids = phoneme_ids(&['h', 'ˈ', 'i', 'ː', '.'], &voice()).unwrap();
        let frames = [2.0, 1.0, 3.0, 0.0, 1.0, 0.0, 4.0, 1.0, 2.0, 0.0, 5.0, 1.0, 1.0];
        let t = timeline(&ids, &frames, 22050);
        let names: Vec<&str> = t.iter().map(|p| p.phoneme.as_str()).collect();
        assert_eq!(names, vec![" ", "h", "ˈiː", "."]);
        let total_ms = frames.iter().sum::<f32>() * HOP as f32 * 1000.0 / 22050.0;
        assert!((t.last().unwrap().end_ms - total_ms).abs() < 1e-3);
        assert!(t.windows(2).all(|w| (w[0].end_ms - w[1].start_ms).abs() < 1e-3));
        let v = visemes(&t);
        assert_eq!(v.iter().map(|v| v.viseme).collect::<Vec<_>>(), vec![Viseme::Rest, Viseme::Ih, Viseme::Rest]);
    }
}
