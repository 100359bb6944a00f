//! One module per tab: each draws its part of the screen from `&App` (its
//! state and update arm are in `tui::state`). Adding a tab is its module
//! here and in `state`, plus one arm in [`draw`] and in the app's dispatch.

pub mod cursor;
pub mod dashboard;
pub mod detector;
pub mod drift;
pub mod experiments;
pub mod gap;
pub mod key_figures;
pub mod overview;
pub mod sharpness;
pub mod splits;
pub mod systems_strip;
pub mod tonight;
pub mod versus;

use super::action::Tab;
use super::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Draws `tab` in `area`: the one match arm a new tab adds to drawing.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    match app.tab {
        Tab::Overview => overview::draw(frame, app, area),
        Tab::Sharpness => sharpness::draw(frame, app, area),
        Tab::Drift => drift::draw(frame, app, area),
        Tab::Experiments => experiments::draw(frame, app, area),
        Tab::Gap => gap::draw(frame, app, area),
        Tab::Versus => versus::draw(frame, app, area),
        Tab::Splits => splits::draw(frame, app, area),
        Tab::Tonight => tonight::draw(frame, app, area),
    }
}
