//! Asking for data and taking it in: request ids, the version on screen
//! (so an unchanged source costs no recompute), refreshes, and `Loaded`.

use super::{App, Panel};
use crate::tui::action::{Effect, Fetch, Payload, Tab};
use chrono::{DateTime, Utc};

impl App {
    /// The pending request of `what`.
    pub(super) fn pending_mut(&mut self, what: Fetch) -> &mut Option<u64> {
        match what {
            Fetch::Dashboard => &mut self.dashboard.pending,
            Fetch::Comparison => &mut self.comparison.pending,
            Fetch::Experiments => &mut self.experiments.pending,
            Fetch::Gap => &mut self.gap.pending,
            Fetch::Versus => &mut self.versus.pending,
            Fetch::Splits => &mut self.splits.pending,
        }
    }

    /// The data version on screen for `what`, when it answers the current selection.
    pub(super) fn version_on_screen(&self, what: Fetch) -> Option<String> {
        match what {
            Fetch::Dashboard => self
                .dashboard
                .data
                .as_ref()
                .filter(|data| data.selection == self.selection)
                .and_then(|data| data.version.clone()),
            Fetch::Comparison => self
                .comparison
                .data
                .as_ref()
                .filter(|data| data.selection == self.selection)
                .and_then(|data| data.version.clone()),
            Fetch::Experiments => self
                .experiments
                .data
                .as_ref()
                .and_then(|data| data.version.clone()),
            Fetch::Gap => self
                .gap
                .data
                .as_ref()
                .filter(|data| Some(&data.experiment_id) == self.gap_experiment.as_ref())
                .and_then(|data| data.version.clone()),
            Fetch::Versus => self
                .versus
                .data
                .as_ref()
                .filter(|data| data.selection == self.selection)
                .filter(|data| {
                    self.challenger
                        .as_ref()
                        .is_none_or(|c| *c == data.challenger)
                })
                .and_then(|data| data.version.clone()),
            Fetch::Splits => self
                .splits
                .data
                .as_ref()
                .filter(|data| data.selection == self.selection)
                .and_then(|data| data.version.clone()),
        }
    }

    /// A new request for `what`; the previous one of the same kind is superseded
    /// (the runtime aborts it, and its late answer is dropped here). Data already
    /// on screen for this selection is not recomputed if the source is unchanged.
    pub(super) fn fetch(&mut self, what: Fetch) -> Vec<Effect> {
        self.next_request += 1;
        let request = self.next_request;
        *self.pending_mut(what) = Some(request);
        vec![Effect::Fetch {
            what,
            request,
            selection: self.selection.clone(),
            unless_version: self.version_on_screen(what),
            experiment: match what {
                Fetch::Gap => self.gap_experiment.clone(),
                Fetch::Versus => self.challenger.clone(),
                _ => None,
            },
        }]
    }

    /// Fetches everything that depends on the selection: the Overview's
    /// panels, and the Versus or Splits tab when it is the one in view
    /// (the other loads when it comes into view).
    pub(super) fn fetch_selection(&mut self) -> Vec<Effect> {
        let mut effects = self.fetch(Fetch::Dashboard);
        effects.extend(self.fetch(Fetch::Comparison));
        effects.extend(self.entered_tab());
        effects
    }

    /// Loads `what` (Versus or Splits) when what is on screen, or on its
    /// way, does not answer the current selection and challenger.
    pub(super) fn ensure_current(&mut self, what: Fetch) -> Vec<Effect> {
        let (pending, current) = match what {
            Fetch::Versus => (
                self.versus.pending.is_some(),
                self.versus.data.as_ref().is_some_and(|data| {
                    data.selection == self.selection
                        && self
                            .challenger
                            .as_ref()
                            .is_none_or(|c| *c == data.challenger)
                }),
            ),
            Fetch::Splits => (
                self.splits.pending.is_some(),
                self.splits
                    .data
                    .as_ref()
                    .is_some_and(|data| data.selection == self.selection),
            ),
            _ => (false, false),
        };
        // A pending fetch was made for the selection of its time; a newer
        // selection supersedes it.
        if current && !pending {
            // Out of view it missed the refreshes: a version check brings
            // it up to date (nothing is recomputed when nothing changed).
            let panel_at = match what {
                Fetch::Versus => self.versus.loaded_at,
                _ => self.splits.loaded_at,
            };
            return if panel_at < self.dashboard.loaded_at {
                self.refresh(what)
            } else {
                Vec::new()
            };
        }
        if what == Fetch::Splits {
            self.splits_scroll = 0;
        }
        self.fetch(what)
    }

    /// A refresh that never overlaps one already running.
    pub(super) fn refresh(&mut self, what: Fetch) -> Vec<Effect> {
        if self.pending_mut(what).is_some() {
            return Vec::new();
        }
        self.fetch(what)
    }

    /// Refreshes every panel.
    pub(super) fn refresh_all(&mut self) -> Vec<Effect> {
        let mut kinds = vec![Fetch::Dashboard, Fetch::Comparison, Fetch::Experiments];
        if self.gap_experiment.is_some() {
            kinds.push(Fetch::Gap);
        }
        // The comparison views cost a query each: refreshed while in view,
        // and checked again when they come back into view.
        match self.tab {
            Tab::Versus if self.versus.data.is_some() => kinds.push(Fetch::Versus),
            Tab::Splits if self.splits.data.is_some() => kinds.push(Fetch::Splits),
            _ => {}
        }
        kinds
            .into_iter()
            .flat_map(|what| self.refresh(what))
            .collect()
    }

    /// Loads the Gap tab's analysis when its experiment is not the one on screen.
    pub(super) fn ensure_gap(&mut self) -> Vec<Effect> {
        let on_screen = self.gap.data.as_ref().map(|data| &data.experiment_id);
        if self.gap_experiment.is_none() || on_screen == self.gap_experiment.as_ref() {
            return Vec::new();
        }
        self.gap_cursor = 0;
        self.fetch(Fetch::Gap)
    }

    pub(super) fn loaded(
        &mut self,
        what: Fetch,
        request: u64,
        at: DateTime<Utc>,
        result: Result<Payload, String>,
    ) {
        // A late answer for a superseded request (an old date or system) is dropped.
        if *self.pending_mut(what) != Some(request) {
            return;
        }
        match result {
            Ok(Payload::Dashboard(data)) => {
                if !data.systems.is_empty() {
                    self.systems = data.systems.clone();
                }
                self.dashboard = Panel::loaded(*data, at);
            }
            Ok(Payload::Comparison(data)) => self.comparison = Panel::loaded(*data, at),
            Ok(Payload::Experiments(data)) => {
                self.experiments = Panel::loaded(*data, at);
                let count = self.visible_entries().len();
                self.leaderboard.selected = self.leaderboard.selected.min(count.saturating_sub(1));
                if self.gap_experiment.is_none() {
                    self.gap_experiment = self.default_gap_experiment();
                }
            }
            Ok(Payload::Gap(data)) => self.gap = Panel::loaded(*data, at),
            Ok(Payload::Versus(data)) => {
                self.challenger = Some(data.challenger.clone());
                self.versus = Panel::loaded(*data, at);
            }
            Ok(Payload::Splits(data)) => self.splits = Panel::loaded(*data, at),
            Ok(Payload::Unchanged) => match what {
                Fetch::Dashboard => self.dashboard.unchanged(at),
                Fetch::Comparison => self.comparison.unchanged(at),
                Fetch::Experiments => self.experiments.unchanged(at),
                Fetch::Gap => self.gap.unchanged(at),
                Fetch::Versus => self.versus.unchanged(at),
                Fetch::Splits => self.splits.unchanged(at),
            },
            Err(error) => match what {
                Fetch::Dashboard => self.dashboard.failed(error),
                Fetch::Comparison => self.comparison.failed(error),
                Fetch::Experiments => self.experiments.failed(error),
                Fetch::Gap => self.gap.failed(error),
                Fetch::Versus => self.versus.failed(error),
                Fetch::Splits => self.splits.failed(error),
            },
        }
    }
}
