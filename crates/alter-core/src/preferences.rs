//! What the user chose on the Settings screen, for the whole app: the UI
//! language and the microphone and speaker to use. `None` means "the
//! system's choice" (its language, its default device).

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// The UI languages Alter speaks.
pub const UI_LANGUAGES: &[&str] = &["en", "zh"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default, deny_unknown_fields)]
pub struct Preferences {
    /// `en` or `zh`.
    pub language: Option<String>,
    /// A microphone's name as the system lists it.
    pub microphone: Option<String>,
    /// A speaker's name as the system lists it.
    pub speaker: Option<String>,
}

impl Preferences {
    /// Checks the choices; empty device names mean "the default".
    pub fn validated(mut self) -> Result<Self, ValidationError> {
        if let Some(lang) = &self.language
            && !UI_LANGUAGES.contains(&lang.as_str())
        {
            return Err(ValidationError::NotOneOf { field: "language", allowed: UI_LANGUAGES.join(", ") });
        }
        for (field, device) in [("microphone", &mut self.microphone), ("speaker", &mut self.speaker)] {
            if device.as_deref().is_some_and(|d| d.trim().is_empty()) {
                *device = None;
            }
            if let Some(name) = device.as_deref() {
                if name.chars().count() > 300 {
                    return Err(ValidationError::TooLong { field, len: name.chars().count(), max: 300 });
                }
                if name.chars().any(char::is_control) {
                    return Err(ValidationError::ControlChars { field });
                }
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_language_and_device_names() {
        let ok =
            Preferences { language: Some("zh".into()), microphone: Some("  ".into()), speaker: Some("USB".into()) };
        let ok = ok.validated().unwrap();
        assert_eq!(ok.microphone, None, "an empty name is the default device");
        assert!(Preferences { language: Some("fr".into()), ..Default::default() }.validated().is_err());
        assert!(Preferences { speaker: Some("a\u{0}b".into()), ..Default::default() }.validated().is_err());
        assert!(Preferences { microphone: Some("m".repeat(301)), ..Default::default() }.validated().is_err());
    }
}
