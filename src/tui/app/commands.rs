//! What the command line runs (`tui::palette`), and the back stack: each
//! jump (a command, a date typed, the Gap's missing date to the Overview,
//! `g` to the Gap, `Enter` on the systems strip) remembers where it came
//! from, and `Backspace` (or `back`) returns there.

use super::App;
use crate::tui::action::{Action, Effect, Fetch, Selection, Tab};
use crate::tui::palette::{self, Command, Offer};
use crate::tui::state::Place;

/// The most places the back stack keeps.
const BACK_STACK: usize = 50;

impl App {
    /// What the command line offers for `typed`, best first.
    pub fn command_matches(&self, typed: &str) -> Vec<palette::Entry> {
        let experiments: Vec<(String, String)> = self
            .gap_candidates()
            .into_iter()
            .map(|entry| (entry.id, entry.name))
            .collect();
        let leaderboard: Vec<(String, String)> = self
            .visible_entries()
            .into_iter()
            .map(|entry| (entry.id, entry.name))
            .collect();
        let bindings: Vec<crate::tui::keymap::Binding> = self
            .keymap
            .bindings
            .iter()
            .filter(|b| !(self.settings.read_only && b.dangerous))
            .cloned()
            .collect();
        palette::matching(
            typed,
            &Offer {
                systems: &self.systems,
                selected_system: &self.selection.system,
                experiments: &experiments,
                leaderboard: &leaderboard,
                bindings: &bindings,
                date: self.selection.date,
            },
        )
    }

    fn here(&self) -> Place {
        Place {
            tab: self.tab,
            selection: self.selection.clone(),
            challenger: self.versus.challenger.clone(),
            gap_experiment: self.gap.experiment.clone(),
        }
    }

    /// Remembers where the user is before a jump.
    pub(super) fn remember_place(&mut self) {
        let here = self.here();
        if self.back_stack.last() != Some(&here) {
            self.back_stack.push(here);
        }
        if self.back_stack.len() > BACK_STACK {
            self.back_stack.remove(0);
        }
    }

    /// Returns to where the last jump came from.
    pub(super) fn go_back(&mut self) -> Vec<Effect> {
        let Some(place) = self.back_stack.pop() else {
            self.notice = Some("nothing to go back to".to_string());
            return Vec::new();
        };
        self.tab = place.tab;
        self.versus.challenger = place.challenger;
        self.gap.experiment = place.gap_experiment;
        self.notice = Some(format!(
            "back to {} on {}",
            place.tab.title(),
            place.selection.date
        ));
        let mut effects = self.select(place.selection);
        effects.extend(self.entered_tab());
        effects
    }

    /// Carries out a line of the command line.
    pub(super) fn run_command(&mut self, command: Command) -> Vec<Effect> {
        if command.moves() {
            self.remember_place();
        }
        match command {
            Command::Tab(tab) => {
                self.tab = tab;
                self.entered_tab()
            }
            Command::Versus(challenger) => {
                self.versus.challenger = Some(challenger);
                self.tab = Tab::Versus;
                self.ensure_current(Fetch::Versus)
            }
            Command::Gap(experiment) => {
                self.gap.experiment = Some(experiment);
                self.tab = Tab::Gap;
                self.entered_tab()
            }
            Command::Experiment(id) => {
                self.tab = Tab::Experiments;
                match self.visible_entries().iter().position(|e| e.id == id) {
                    Some(index) => self.experiments.board.selected = index,
                    None => {
                        self.notice =
                            Some("that experiment is hidden by the filter (a shows all)".into())
                    }
                }
                self.entered_tab()
            }
            Command::Key { tab, action } => {
                let mut effects = Vec::new();
                if let Some(tab) = tab.filter(|tab| *tab != self.tab) {
                    self.remember_place();
                    self.tab = tab;
                    effects = self.entered_tab();
                }
                effects.extend(self.update(action));
                effects
            }
            Command::System(system) => self.select(Selection {
                date: self.selection.date,
                system,
            }),
            Command::Date(date) => {
                // Past the data and past tomorrow there is nothing to see:
                // the jump stops at the later of the two.
                let bound = self.latest_jump();
                self.notice = (date > bound).then(|| {
                    format!(
                        "{date} is past the data{}: showing {bound}",
                        self.latest_date
                            .map(|latest| format!(" (it ends {latest})"))
                            .unwrap_or_default()
                    )
                });
                self.choose_date(date.min(bound))
            }
            // What a key does, as that key does it.
            Command::Back => self.update_global(Action::GoBack),
            Command::Today => self.update_global(Action::Today),
            Command::Refresh => self.update_global(Action::Refresh),
            Command::DrillDown => self.update_global(Action::OpenDrillDown),
            Command::Help => self.update_global(Action::ToggleHelp),
        }
    }
}
