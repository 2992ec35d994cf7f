//! Text to IPA phonemes with the system espeak-ng library, as Piper voices expect.
//!
//! espeak-ng keeps global state and is not thread-safe: every call goes
//! through one process-wide mutex. It is initialised with
//! `espeakINITIALIZE_DONT_EXIT` so that a missing data folder is an error
//! rather than the library calling `exit()`.
//!
//! Piper's training data was phonemised clause by clause with the clause's
//! punctuation kept (`.`, `,`, `?`, `!`, `:`, `;`) and a space between
//! clauses. espeak-ng 1.51 (Debian 12) neither reports the terminator nor
//! stops at commas, so we split the sentence into clauses ourselves.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::Mutex;

use crate::TtsError;

const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
const INITIALIZE_DONT_EXIT: c_int = 0x8000;
const CHARS_UTF8: c_int = 1;
const PHONEMES_IPA: c_int = 0x02;

unsafe extern "C" {
    fn espeak_Initialize(output: c_int, buflength: c_int, path: *const c_char, options: c_int) -> c_int;
    fn espeak_SetVoiceByName(name: *const c_char) -> c_int;
    fn espeak_TextToPhonemes(textptr: *mut *const c_void, textmode: c_int, phonememode: c_int) -> *const c_char;
}

/// The espeak voice currently selected; `None` until initialised.
struct State {
    voice: Option<String>,
}

static ESPEAK: Mutex<Option<State>> = Mutex::new(None);

/// Phonemises one sentence for `voice` (an espeak voice name such as `en-us`).
///
/// Returns the phoneme characters with clause punctuation kept, exactly the
/// alphabet of a Piper voice's `phoneme_id_map`.
pub fn phonemize(sentence: &str, voice: &str) -> Result<Vec<char>, TtsError> {
    let mut guard = ESPEAK.lock().unwrap_or_else(|p| p.into_inner());
    if guard.is_none() {
        // SAFETY: a null path selects the default data folder; the call only reads it.
        let rate = unsafe { espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, std::ptr::null(), INITIALIZE_DONT_EXIT) };
        if rate <= 0 {
            return Err(TtsError::Phonemizer { action: "start (its data folder was not found)".into() });
        }
        *guard = Some(State { voice: None });
    }
    let state = guard.as_mut().ok_or_else(|| TtsError::Phonemizer { action: "start".into() })?;
    if state.voice.as_deref() != Some(voice) {
        let name = CString::new(voice).map_err(|_| TtsError::Phonemizer { action: format!("use voice {voice:?}") })?;
        // SAFETY: `name` is a valid C string for the duration of the call.
        if unsafe { espeak_SetVoiceByName(name.as_ptr()) } != 0 {
            return Err(TtsError::Phonemizer { action: format!("find its voice {voice:?}") });
        }
        state.voice = Some(voice.to_owned());
    }

    let mut phonemes = Vec::new();
    for (clause, mark) in clauses(sentence) {
        clause_phonemes(&clause, &mut phonemes);
        if let Some(mark) = mark {
            phonemes.push(mark);
        }
        phonemes.push(' ');
    }
    while phonemes.last() == Some(&' ') {
        phonemes.pop();
    }
    Ok(phonemes)
}

/// Splits at clause punctuation followed by a space (or the end), Piper-style:
/// espeak-ng 1.51 joins clauses in one call and drops their punctuation.
fn clauses(sentence: &str) -> Vec<(String, Option<char>)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = sentence.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        let at_break = chars.peek().is_none_or(|n| n.is_whitespace())
            || matches!(c, '。' | '，' | '？' | '！' | '；' | '：' | '、');
        if let Some(mark) = terminator(&c.to_string()).filter(|_| at_break) {
            out.push((std::mem::take(&mut current), Some(mark)));
        }
    }
    if !current.trim().is_empty() {
        out.push((current, None));
    }
    out
}

/// Appends one clause's phonemes (without its punctuation).
fn clause_phonemes(clause: &str, phonemes: &mut Vec<char>) {
    // Interior NULs would end the C string early; they are never speech.
    let Ok(text) = CString::new(clause.replace('\0', " ")) else { return };
    let start = text.as_ptr();
    let end = start as usize + text.as_bytes().len();
    let mut cursor: *const c_void = start.cast();
    let mut first = true;
    while !cursor.is_null() && (cursor as usize) < end {
        // SAFETY: `cursor` points into `text`, which outlives the loop; espeak
        // advances it past what it read or sets it to null at the end.
        let out = unsafe { espeak_TextToPhonemes(&mut cursor, CHARS_UTF8, PHONEMES_IPA) };
        if out.is_null() {
            break;
        }
        // SAFETY: espeak returns a NUL-terminated string valid until its next call.
        let part = unsafe { CStr::from_ptr(out) }.to_string_lossy();
        let part = part.trim();
        if !part.is_empty() {
            if !first {
                phonemes.push(' ');
            }
            phonemes.extend(part.chars());
            first = false;
        }
    }
}

/// The clause punctuation Piper keeps, read from the end of the consumed text.
fn terminator(consumed: &str) -> Option<char> {
    let last = consumed.trim_end().chars().last()?;
    match last {
        '.' | '。' | '…' => Some('.'),
        ',' | '，' | '、' => Some(','),
        '?' | '？' => Some('?'),
        '!' | '！' => Some('!'),
        ':' | '：' => Some(':'),
        ';' | '；' => Some(';'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_sentence_has_ipa_and_punctuation() {
        let p: String = phonemize("Hello, world. How are you?", "en-us").unwrap().into_iter().collect();
        assert!(p.contains('ə') || p.contains('ɛ'), "{p}");
        assert!(p.contains(','), "{p}");
        assert!(p.ends_with('?'), "{p}");
        assert!(p.contains("wˈɜːld"), "{p}");
    }

    #[test]
    fn unknown_voice_is_an_error() {
        assert!(matches!(phonemize("hi", "no-such-voice-xx"), Err(TtsError::Phonemizer { .. })));
        // And the state recovers for a real voice afterwards.
        assert!(!phonemize("hi", "en-us").unwrap().is_empty());
    }

    #[test]
    fn hostile_text_does_not_crash() {
        for text in ["", "\0\0", "....", "🙂🙂", &"a".repeat(5000)] {
            let _ = phonemize(text, "en-us").unwrap();
        }
    }
}
