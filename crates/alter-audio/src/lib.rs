//! Audio decoding, resampling, WAV writing, voice activity, pitch and the owner's voice profile.
