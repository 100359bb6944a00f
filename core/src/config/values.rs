//! Numbers a config key may hold, checked as they are read: positive
//! integers and floats, and non-negative floats.

use serde::{Deserialize, Deserializer, Serialize};

/// A number that must be greater than zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Positive<T>(pub T);

impl<'de, T> Deserialize<'de> for Positive<T>
where
    T: Deserialize<'de> + PartialOrd + Default + std::fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = T::deserialize(deserializer)?;
        if value <= T::default() {
            return Err(serde::de::Error::custom(format!(
                "must be greater than 0, got {value}"
            )));
        }
        Ok(Positive(value))
    }
}

/// A finite float greater than zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct PositiveF64(pub f64);

impl<'de> Deserialize<'de> for PositiveF64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if !value.is_finite() || value <= 0.0 {
            return Err(serde::de::Error::custom(format!(
                "must be a number greater than 0, got {value}"
            )));
        }
        Ok(PositiveF64(value))
    }
}

/// A finite float of at least zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct NonNegative(pub f64);

impl NonNegative {
    pub fn get(self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for NonNegative {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if !value.is_finite() || value < 0.0 {
            return Err(serde::de::Error::custom(format!(
                "must be a number of at least 0, got {value}"
            )));
        }
        Ok(NonNegative(value))
    }
}

/// Lower bounds of the edge buckets of the Splits view: finite, at least 0,
/// strictly ascending, at least one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct EdgeBuckets(pub Vec<f64>);

impl Default for EdgeBuckets {
    fn default() -> Self {
        EdgeBuckets(vec![3.0, 4.0, 5.0, 7.0])
    }
}

impl<'de> Deserialize<'de> for EdgeBuckets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let bounds = Vec::<f64>::deserialize(deserializer)?;
        if bounds.is_empty() {
            return Err(serde::de::Error::custom(
                "needs at least one bound, e.g. [3, 4, 5, 7]",
            ));
        }
        if let Some(bad) = bounds.iter().find(|b| !b.is_finite() || **b < 0.0) {
            return Err(serde::de::Error::custom(format!(
                "every bound must be a number of at least 0, got {bad}"
            )));
        }
        if bounds.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(serde::de::Error::custom(
                "the bounds must be strictly ascending, e.g. [3, 4, 5, 7]",
            ));
        }
        Ok(EdgeBuckets(bounds))
    }
}
