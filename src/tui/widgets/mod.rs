//! What every tab draws with: the panel preamble (`panel`), the chart
//! builder (`chart`), the dialogs and overlays (`dialogs`), the system
//! picker (`picker`) and the small text helpers (`text`).

pub mod chart;
pub mod dialogs;
pub mod panel;
pub mod picker;
pub mod text;

pub use panel::{PanelBody, PanelText, panel_body};

pub use text::{centred, error_line, fit, human_age, message, pad, rate_line, spinner, wrap_words};
