//! A place of the back stack (`app::commands`): where the user was before
//! a jump.

use crate::tui::action::{Selection, Tab};

/// Where the user was: the tab, the selection, and what the Gap and
/// Versus tabs showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub tab: Tab,
    pub selection: Selection,
    pub challenger: Option<String>,
    pub gap_experiment: Option<String>,
}
