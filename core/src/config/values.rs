//! Numbers a config key may hold, checked as they are read: positive
//! whole numbers and floats, and non-negative floats.

use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// A whole number that must be greater than zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Positive<T>(pub T);

/// What a [`Positive`] holds, in the words a type error shows.
pub const POSITIVE_WHOLE: &str = "a whole number greater than 0";

/// The unsigned integers a [`Positive`] may hold, with their largest value.
pub trait Whole: Copy + PartialOrd + Default + std::fmt::Display + TryFrom<u64> {
    const MAX: u64;
}

impl Whole for u32 {
    const MAX: u64 = u32::MAX as u64;
}

impl Whole for u64 {
    const MAX: u64 = u64::MAX;
}

impl<'de, T: Whole> Deserialize<'de> for Positive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(PositiveVisitor(PhantomData))
    }
}

/// Reads a [`Positive`]: a value of another type is refused by the parser
/// with [`POSITIVE_WHOLE`] as what was expected.
struct PositiveVisitor<T>(PhantomData<T>);

impl<'de, T: Whole> Visitor<'de> for PositiveVisitor<T> {
    type Value = Positive<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(POSITIVE_WHOLE)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        let Ok(whole) = T::try_from(value) else {
            return Err(E::custom(format!(
                "{value} is too large (at most {})",
                T::MAX
            )));
        };
        if whole <= T::default() {
            return Err(E::invalid_value(Unexpected::Unsigned(value), &self));
        }
        Ok(Positive(whole))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => Err(E::invalid_value(Unexpected::Signed(value), &self)),
        }
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
