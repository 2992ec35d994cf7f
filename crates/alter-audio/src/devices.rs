//! The sound devices of this computer, listed for the Settings screen and
//! opened by name (or the system's default when none is chosen).
//!
//! Invariant: listing never fails: a machine without sound (a server, a CI
//! runner) has empty lists; a device that cannot be named is skipped.

use cpal::traits::{DeviceTrait, HostTrait};
use serde::Serialize;

use crate::AudioError;

/// One microphone or speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AudioDevice {
    pub name: String,
    /// The system's default for its direction.
    pub is_default: bool,
}

/// The microphones and speakers there are now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AudioDevices {
    pub inputs: Vec<AudioDevice>,
    pub outputs: Vec<AudioDevice>,
}

/// Lists the devices of the default audio host.
pub fn list_devices() -> AudioDevices {
    let host = cpal::default_host();
    let default_in = host.default_input_device().and_then(|d| d.name().ok());
    let default_out = host.default_output_device().and_then(|d| d.name().ok());
    let named = |devices: Option<Vec<cpal::Device>>, default: &Option<String>| -> Vec<AudioDevice> {
        let mut out: Vec<AudioDevice> = devices
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| d.name().ok())
            .map(|name| AudioDevice { is_default: default.as_deref() == Some(name.as_str()), name })
            .collect();
        out.dedup_by(|a, b| a.name == b.name);
        out
    };
    AudioDevices {
        inputs: named(host.input_devices().ok().map(Iterator::collect), &default_in),
        outputs: named(host.output_devices().ok().map(Iterator::collect), &default_out),
    }
}

/// The microphone called `name`, or the default one.
pub(crate) fn input_device(name: Option<&str>) -> Result<cpal::Device, AudioError> {
    let host = cpal::default_host();
    match name {
        None => host.default_input_device().ok_or(AudioError::NoDevice { kind: "input" }),
        Some(name) => find(host.input_devices().ok(), name, "input"),
    }
}

/// The speaker called `name`, or the default one.
pub(crate) fn output_device(name: Option<&str>) -> Result<cpal::Device, AudioError> {
    let host = cpal::default_host();
    match name {
        None => host.default_output_device().ok_or(AudioError::NoDevice { kind: "output" }),
        Some(name) => find(host.output_devices().ok(), name, "output"),
    }
}

fn find(
    devices: Option<impl Iterator<Item = cpal::Device>>,
    name: &str,
    kind: &'static str,
) -> Result<cpal::Device, AudioError> {
    devices.into_iter().flatten().find(|d| d.name().is_ok_and(|n| n == name)).ok_or_else(|| AudioError::Device {
        kind,
        reason: format!("\"{name}\" is not connected; choose another in Settings"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_never_fails_and_names_are_unique() {
        let devices = list_devices();
        for list in [&devices.inputs, &devices.outputs] {
            assert!(list.iter().filter(|d| d.is_default).count() <= 1, "{list:?}");
            assert!(list.iter().all(|d| !d.name.is_empty()));
        }
    }

    #[test]
    fn a_device_that_is_not_there_is_a_clear_error() {
        let err = input_device(Some("Alter test microphone that does not exist")).err().expect("no such device");
        assert!(err.to_string().contains("is not connected"), "{err}");
        let err = output_device(Some("Alter test speaker that does not exist")).err().expect("no such device");
        assert!(err.to_string().contains("is not connected"), "{err}");
    }
}
