//! A twin's identity and the parameters its owner sets by hand.
//!
//! Everything here is validated on construction, so the rest of the code can
//! trust a [`TwinId`] or a [`TwinParams`] it is handed: names are non-empty,
//! bounded and free of control characters; ids are short ASCII slugs that are
//! safe to use as folder names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Longest accepted twin name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest accepted free-text field (role, greeting), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Longest accepted id, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// Why a value was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValidationError {
    #[error("the {field} is empty")]
    Empty { field: &'static str },
    #[error("the {field} is too long ({len} characters; at most {max})")]
    TooLong { field: &'static str, len: usize, max: usize },
    #[error("the {field} contains control characters")]
    ControlChars { field: &'static str },
    #[error("the {field} must be between {min} and {max}")]
    OutOfRange { field: &'static str, min: f32, max: f32 },
    #[error("the {field} must be one of: {allowed}")]
    NotOneOf { field: &'static str, allowed: String },
    #[error("the {field} must be a colour like #2f4a6d")]
    BadColour { field: &'static str },
    #[error(
        "twin id {0:?} is not valid: use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit"
    )]
    BadId(String),
}

impl crate::HasErrorCode for ValidationError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidInput
    }
}

/// A twin's stable id: a lowercase ASCII slug, also its folder name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(try_from = "String", into = "String")]
pub struct TwinId(String);

impl TwinId {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_ID_LEN
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && raw.as_bytes()[0].is_ascii_alphanumeric();
        if ok { Ok(Self(raw.to_owned())) } else { Err(ValidationError::BadId(truncate_for_message(raw))) }
    }

    /// Derives a readable id from a display name ("Maya Okafor" → "maya-okafor"),
    /// falling back to a random one when the name has no ASCII letters (e.g. "玛雅").
    pub fn from_name(name: &str) -> Self {
        let mut slug = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            if slug.len() >= 40 {
                break;
            }
        }
        let slug = slug.trim_end_matches('-');
        if slug.is_empty() { Self::random() } else { Self(slug.to_owned()) }
    }

    /// A fresh id that cannot collide in practice.
    pub fn random() -> Self {
        Self(format!("twin-{}", ulid::Ulid::new().to_string().to_ascii_lowercase()))
    }

    /// The same id with a numeric suffix, for resolving name collisions.
    pub fn with_suffix(&self, n: u32) -> Self {
        let base: String = self.0.chars().take(MAX_ID_LEN - 6).collect();
        Self(format!("{base}-{n}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TwinId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TwinId {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TwinId> for String {
    fn from(id: TwinId) -> Self {
        id.0
    }
}

/// The owner's adjustments to the twin's voice, on top of what the build tuned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct VoiceTuning {
    /// Speaking speed, 1 = as learned; 0.5 … 2.
    pub speed: f32,
    /// Pitch shift in semitones on top of the learned one; −6 … 6.
    pub pitch_semitones: f32,
    /// Liveliness of intonation, 1 = the voice's own; 0 (flat) … 2.
    pub liveliness: f32,
}

impl Default for VoiceTuning {
    fn default() -> Self {
        Self { speed: 1.0, pitch_semitones: 0.0, liveliness: 1.0 }
    }
}

impl VoiceTuning {
    fn validate(&self) -> Result<(), ValidationError> {
        for (field, v, min, max) in [
            ("voice speed", self.speed, 0.5, 2.0),
            ("voice pitch", self.pitch_semitones, -6.0, 6.0),
            ("voice liveliness", self.liveliness, 0.0, 2.0),
        ] {
            if !(min..=max).contains(&v) {
                return Err(ValidationError::OutOfRange { field, min, max });
            }
        }
        Ok(())
    }
}

/// How the twin speaks: two sliders in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct Tone {
    /// 0 = formal, 1 = casual.
    pub casual: f32,
    /// 0 = brief, 1 = detailed.
    pub detailed: f32,
}

impl Default for Tone {
    fn default() -> Self {
        Self { casual: 0.5, detailed: 0.3 }
    }
}

/// What the owner sets by hand; it overrides whatever the build learns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct TwinParams {
    pub name: String,
    pub role: String,
    pub greeting: String,
    pub tone: Tone,
    /// BCP-47-ish language codes the twin answers in, e.g. `["en", "zh"]`.
    pub languages: Vec<String>,
    /// Topics the twin politely declines to discuss.
    pub decline_topics: Vec<String>,
    /// How the built-in avatar looks.
    pub appearance: Appearance,
    /// The owner's adjustments to the twin's voice.
    pub voice: VoiceTuning,
    /// Facts the owner states about themself, by kind (`role`, `team`, `employer`…).
    /// They replace what the build learned of that kind; an empty list removes it.
    pub facts: BTreeMap<String, Vec<String>>,
}

/// Most values per fact kind an owner may set.
pub const MAX_OWNER_FACTS: usize = 32;

/// The kinds of self-fact a twin knows (the persona's `FactKind`, by name).
pub const FACT_KINDS: &[&str] =
    &["name", "role", "team", "employer", "tenure", "location", "education", "interest", "project", "experience"];

/// The built-in 2D avatar's look. Colours are CSS hex strings (`#rrggbb`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct Appearance {
    /// `oval`, `round`, `square` or `heart`.
    pub face: String,
    pub skin: String,
    /// `short`, `long`, `bun`, `curly` or `none`.
    pub hair_style: String,
    pub hair_colour: String,
    pub eye_colour: String,
    pub glasses: bool,
    /// `blazer`, `shirt`, `sweater` or `hoodie`.
    pub clothing: String,
    pub clothing_colour: String,
    /// A user's own VRM model, relative to the twin's folder, instead of the built-in face.
    pub vrm: Option<String>,
}

impl Default for Appearance {
    fn default() -> Self {
        Self {
            face: "oval".into(),
            skin: "#e0b38f".into(),
            hair_style: "short".into(),
            hair_colour: "#3b2a20".into(),
            eye_colour: "#4a3526".into(),
            glasses: false,
            clothing: "blazer".into(),
            clothing_colour: "#2f4a6d".into(),
            vrm: None,
        }
    }
}

impl Appearance {
    const FACES: &[&str] = &["oval", "round", "square", "heart"];
    const HAIR: &[&str] = &["short", "long", "bun", "curly", "none"];
    const CLOTHING: &[&str] = &["blazer", "shirt", "sweater", "hoodie"];

    fn validate(&self) -> Result<(), ValidationError> {
        let choice = |field: &'static str, value: &str, allowed: &[&str]| {
            if allowed.contains(&value) {
                Ok(())
            } else {
                Err(ValidationError::NotOneOf { field, allowed: allowed.join(", ") })
            }
        };
        choice("face shape", &self.face, Self::FACES)?;
        choice("hair style", &self.hair_style, Self::HAIR)?;
        choice("clothing", &self.clothing, Self::CLOTHING)?;
        for (field, colour) in [
            ("skin colour", &self.skin),
            ("hair colour", &self.hair_colour),
            ("eye colour", &self.eye_colour),
            ("clothing colour", &self.clothing_colour),
        ] {
            let ok = colour.len() == 7 && colour.starts_with('#') && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                return Err(ValidationError::BadColour { field });
            }
        }
        if let Some(vrm) = &self.vrm {
            check_text("VRM file name", vrm, 255, true)?;
            if vrm.contains("..") || vrm.starts_with('/') {
                return Err(ValidationError::ControlChars { field: "VRM file name" });
            }
        }
        Ok(())
    }
}

impl Default for TwinParams {
    fn default() -> Self {
        Self {
            name: String::new(),
            role: String::new(),
            greeting: String::new(),
            tone: Tone::default(),
            languages: vec!["en".into(), "zh".into()],
            decline_topics: Vec::new(),
            appearance: Appearance::default(),
            voice: VoiceTuning::default(),
            facts: BTreeMap::new(),
        }
    }
}

impl TwinParams {
    pub fn named(name: &str) -> Self {
        Self { name: name.to_owned(), ..Self::default() }
    }

    /// Checks every field; trims surrounding whitespace of the name.
    pub fn validated(mut self) -> Result<Self, ValidationError> {
        self.name = self.name.trim().to_owned();
        check_text("name", &self.name, MAX_NAME_CHARS, true)?;
        check_text("role", &self.role, MAX_TEXT_CHARS, false)?;
        check_text("greeting", &self.greeting, MAX_TEXT_CHARS, false)?;
        for (field, v) in [("casual tone", self.tone.casual), ("detail tone", self.tone.detailed)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(ValidationError::OutOfRange { field, min: 0.0, max: 1.0 });
            }
        }
        for lang in &self.languages {
            check_text("language code", lang, 16, true)?;
        }
        for topic in &self.decline_topics {
            check_text("declined topic", topic, 200, true)?;
        }
        self.appearance.validate()?;
        self.voice.validate()?;
        for (kind, values) in &mut self.facts {
            if !FACT_KINDS.contains(&kind.as_str()) {
                return Err(ValidationError::NotOneOf { field: "fact kind", allowed: FACT_KINDS.join(", ") });
            }
            if values.len() > MAX_OWNER_FACTS {
                return Err(ValidationError::TooLong {
                    field: "list of facts",
                    len: values.len(),
                    max: MAX_OWNER_FACTS,
                });
            }
            for value in values.iter_mut() {
                *value = value.trim().to_owned();
                check_text("fact", value, 500, true)?;
            }
        }
        Ok(self)
    }
}

/// One row of the twin library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct TwinSummary {
    pub id: TwinId,
    pub name: String,
    pub role: String,
    /// RFC 3339 timestamps.
    pub created_at: String,
    pub updated_at: String,
    /// Self-test score in `[0, 1]` once the twin has been built.
    pub score: Option<f32>,
}

fn check_text(field: &'static str, value: &str, max: usize, required: bool) -> Result<(), ValidationError> {
    if required && value.trim().is_empty() {
        return Err(ValidationError::Empty { field });
    }
    // Count lazily so a 10 MB string is refused without a full scan.
    let len = value.chars().take(max + 1).count();
    if len > max {
        return Err(ValidationError::TooLong { field, len: value.chars().count(), max });
    }
    // Newlines and tabs are fine in free text, not in names.
    let allowed = |c: char| field != "name" && (c == '\n' || c == '\t');
    if value.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(ValidationError::ControlChars { field });
    }
    Ok(())
}

fn truncate_for_message(raw: &str) -> String {
    let mut s: String = raw.chars().take(40).collect();
    if s.len() < raw.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["maya", "maya-okafor", "t1", "a_b-c9"] {
            assert!(TwinId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Maya", "-x", "a b", "../etc", "a/b", "é", &"x".repeat(65)] {
            assert!(TwinId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_from_names() {
        assert_eq!(TwinId::from_name("Maya Okafor").as_str(), "maya-okafor");
        assert_eq!(TwinId::from_name("  Dr. J. Smith!! ").as_str(), "dr-j-smith");
        assert!(TwinId::from_name("玛雅").as_str().starts_with("twin-"));
        assert!(TwinId::parse(TwinId::from_name(&"Ab ".repeat(100)).as_str()).is_ok());
        assert!(TwinId::parse(TwinId::random().as_str()).is_ok());
        assert!(TwinId::parse(TwinId::from_name(&"a".repeat(64)).with_suffix(12).as_str()).is_ok());
    }

    #[test]
    fn params_validation() {
        assert!(TwinParams::named("Maya").validated().is_ok());
        assert_eq!(TwinParams::named("  Maya ").validated().unwrap().name, "Maya");
        assert_eq!(TwinParams::named("   ").validated(), Err(ValidationError::Empty { field: "name" }));
        assert!(matches!(TwinParams::named(&"x".repeat(10 << 20)).validated(), Err(ValidationError::TooLong { .. })));
        assert_eq!(TwinParams::named("Ma\u{7}ya").validated(), Err(ValidationError::ControlChars { field: "name" }));
        assert_eq!(TwinParams::named("Ma\nya").validated(), Err(ValidationError::ControlChars { field: "name" }));
        let mut p = TwinParams::named("Maya");
        p.greeting = "Hi!\nI'm Maya.".into();
        assert!(p.clone().validated().is_ok());
        p.appearance.hair_colour = "red".into();
        assert_eq!(p.clone().validated(), Err(ValidationError::BadColour { field: "hair colour" }));
        p.appearance.hair_colour = "#aa0000".into();
        p.appearance.face = "triangle".into();
        assert!(matches!(p.clone().validated(), Err(ValidationError::NotOneOf { .. })));
        p.appearance.face = "round".into();
        p.appearance.vrm = Some("../../etc/passwd".into());
        assert!(p.clone().validated().is_err());
        p.appearance.vrm = None;
        p.tone.casual = 1.5;
        assert!(matches!(p.validated(), Err(ValidationError::OutOfRange { .. })));
    }

    #[test]
    fn params_from_toml_reject_unknown_keys() {
        let err = toml::from_str::<TwinParams>("name = \"Maya\"\ncolour = 3\n").unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
        let p: TwinParams = toml::from_str("name = \"Maya\"\n[tone]\ncasual = 0.8\n").unwrap();
        assert_eq!(p.tone.casual, 0.8);
    }
}
