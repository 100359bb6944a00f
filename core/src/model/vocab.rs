//! The lower-case vocabulary courtside writes to `performance_diagnostics_daily`,
//! and the older upper-case values it also accepts when reading (data-contract.md).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a vocabulary enum with its written form and the legacy spellings it reads.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $written:literal $(| $legacy:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The lower-case form courtside writes.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $written),+ }
            }

            /// Reads the written form or a legacy spelling, ignoring case.
            pub fn parse(text: &str) -> Option<Self> {
                let lower = text.trim().to_ascii_lowercase();
                match lower.as_str() {
                    $($written $(| $legacy)* => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// How hard the market is to beat (metrics.md section 3).
    SharpnessStatus {
        Dull => "dull" | "soft",
        Normal => "normal",
        Sharp => "sharp",
        RazorSharp => "razor_sharp" | "very_sharp",
    }
);

vocabulary!(
    /// Drift severity bands (metrics.md section 4).
    DriftSeverity {
        None => "none" | "low",
        Mild => "mild" | "medium",
        Moderate => "moderate" | "high",
        Severe => "severe" | "critical",
    }
);

vocabulary!(
    /// Direction of the model's pooled signed error.
    BiasDirection {
        Over => "over",
        Under => "under",
        Neutral => "neutral",
    }
);

vocabulary!(
    /// The root cause attributed to the day (metrics.md section 7).
    PrimaryCause {
        None => "none",
        VegasSharpness => "vegas_sharpness" | "vegas_sharp",
        ModelDrift => "model_drift",
        DataQuality => "data_quality",
        SampleSize => "sample_size",
        NormalVariance => "normal_variance",
    }
);

vocabulary!(
    /// Alert levels, mildest first (`emergency` is reserved and never
    /// written); `unknown` (Rev. 2) means a check could not be evaluated.
    AlertLevel {
        Healthy => "healthy" | "ok",
        Info => "info",
        Warning => "warning",
        Critical => "critical",
        Emergency => "emergency",
        Unknown => "unknown",
    }
);

impl AlertLevel {
    /// Monitoring-plugin exit code: 0 healthy/info, 1 warning, 2 critical, 3 unknown.
    pub fn exit_code(self) -> i32 {
        match self {
            AlertLevel::Healthy | AlertLevel::Info => 0,
            AlertLevel::Warning => 1,
            AlertLevel::Critical | AlertLevel::Emergency => 2,
            AlertLevel::Unknown => 3,
        }
    }

    /// Whether the level raises an alert (`alert_triggered`): info and above.
    pub fn is_triggered(self) -> bool {
        matches!(
            self,
            AlertLevel::Info | AlertLevel::Warning | AlertLevel::Critical | AlertLevel::Emergency
        )
    }

    /// Rank of a measured level (healthy 0 .. emergency 4); `None` for unknown.
    pub fn severity(self) -> Option<u8> {
        match self {
            AlertLevel::Healthy => Some(0),
            AlertLevel::Info => Some(1),
            AlertLevel::Warning => Some(2),
            AlertLevel::Critical => Some(3),
            AlertLevel::Emergency => Some(4),
            AlertLevel::Unknown => None,
        }
    }

    /// A symbol that carries the level without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            AlertLevel::Healthy => "✓",
            AlertLevel::Info => "i",
            AlertLevel::Warning => "!",
            AlertLevel::Critical | AlertLevel::Emergency => "✖",
            AlertLevel::Unknown => "?",
        }
    }
}

impl SharpnessStatus {
    /// Bands of `sharpness_score`: dull < 40 <= normal < 65 <= sharp < 80 <= razor_sharp.
    pub fn from_score(score: f64) -> Self {
        if score < 40.0 {
            SharpnessStatus::Dull
        } else if score < 65.0 {
            SharpnessStatus::Normal
        } else if score < 80.0 {
            SharpnessStatus::Sharp
        } else {
            SharpnessStatus::RazorSharp
        }
    }
}

impl DriftSeverity {
    /// Bands of `drift_score`: none < 20 <= mild < 40 <= moderate < 70 <= severe.
    pub fn from_score(score: f64) -> Self {
        if score < 20.0 {
            DriftSeverity::None
        } else if score < 40.0 {
            DriftSeverity::Mild
        } else if score < 70.0 {
            DriftSeverity::Moderate
        } else {
            DriftSeverity::Severe
        }
    }
}

/// A vocabulary value read from storage: known, or unknown and shown as-is (flagged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Read<T> {
    Known(T),
    Unknown(String),
}

impl<T: Copy> Read<T> {
    /// Parses with `parse`, keeping the original text when it is not recognised.
    pub fn from_text(text: &str, parse: impl Fn(&str) -> Option<T>) -> Self {
        parse(text).map_or_else(|| Read::Unknown(text.to_string()), Read::Known)
    }

    pub fn known(&self) -> Option<T> {
        match self {
            Read::Known(value) => Some(*value),
            Read::Unknown(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_values_are_read() {
        assert_eq!(
            SharpnessStatus::parse("VERY_SHARP"),
            Some(SharpnessStatus::RazorSharp)
        );
        assert_eq!(SharpnessStatus::parse("SOFT"), Some(SharpnessStatus::Dull));
        assert_eq!(SharpnessStatus::parse("NO_DATA"), None);
        assert_eq!(DriftSeverity::parse("HIGH"), Some(DriftSeverity::Moderate));
        assert_eq!(
            DriftSeverity::parse("CRITICAL"),
            Some(DriftSeverity::Severe)
        );
        assert_eq!(
            PrimaryCause::parse("VEGAS_SHARP"),
            Some(PrimaryCause::VegasSharpness)
        );
        assert_eq!(AlertLevel::parse("OK"), Some(AlertLevel::Healthy));
        assert_eq!(BiasDirection::parse("Over"), Some(BiasDirection::Over));
    }

    #[test]
    fn unknown_values_are_kept_as_text() {
        let read = Read::from_text("PURPLE", AlertLevel::parse);
        assert_eq!(read, Read::Unknown("PURPLE".into()));
        assert_eq!(read.known(), None);
    }

    #[test]
    fn score_bands_have_inclusive_lower_bounds() {
        assert_eq!(SharpnessStatus::from_score(39.999), SharpnessStatus::Dull);
        assert_eq!(SharpnessStatus::from_score(40.0), SharpnessStatus::Normal);
        assert_eq!(SharpnessStatus::from_score(65.0), SharpnessStatus::Sharp);
        assert_eq!(
            SharpnessStatus::from_score(80.0),
            SharpnessStatus::RazorSharp
        );
        assert_eq!(DriftSeverity::from_score(19.9), DriftSeverity::None);
        assert_eq!(DriftSeverity::from_score(20.0), DriftSeverity::Mild);
        assert_eq!(DriftSeverity::from_score(40.0), DriftSeverity::Moderate);
        assert_eq!(DriftSeverity::from_score(70.0), DriftSeverity::Severe);
    }
}
