//! [`Audio`]: a mono clip with its sample rate. Samples are `f32` in [-1, 1].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audio {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
}

impl Audio {
    pub fn new(samples: Vec<f32>, sample_rate: u32) -> Self {
        Self { samples, sample_rate }
    }

    /// Length in seconds (0 for an empty clip or a zero rate).
    pub fn duration_s(&self) -> f64 {
        if self.sample_rate == 0 {
            return 0.0;
        }
        self.samples.len() as f64 / self.sample_rate as f64
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// A copy at `rate` (returns a clone when the rate already matches).
    pub fn resampled(&self, rate: u32) -> Result<Audio, crate::AudioError> {
        if rate == self.sample_rate {
            return Ok(self.clone());
        }
        Ok(Audio::new(crate::resample(&self.samples, self.sample_rate, rate)?, rate))
    }
}
