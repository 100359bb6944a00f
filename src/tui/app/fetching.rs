//! Asking for data and taking it in: request ids, the version on screen
//! (so an unchanged source costs no recompute), refreshes, and `Loaded`.

use super::{App, Panel};
use crate::tui::action::{Effect, Fetch, Payload};
use chrono::{DateTime, Utc};

impl App {
    /// The pending request of `what`.
    pub(super) fn pending_mut(&mut self, what: Fetch) -> &mut Option<u64> {
        match what {
            Fetch::Dashboard => &mut self.dashboard.pending,
            Fetch::Comparison => &mut self.comparison.pending,
            Fetch::Experiments => &mut self.experiments.pending,
            Fetch::Gap => &mut self.gap.pending,
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
            experiment: self.gap_experiment.clone().filter(|_| what == Fetch::Gap),
        }]
    }

    /// Fetches everything that depends on the selection.
    pub(super) fn fetch_selection(&mut self) -> Vec<Effect> {
        let mut effects = self.fetch(Fetch::Dashboard);
        effects.extend(self.fetch(Fetch::Comparison));
        effects
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
            Ok(Payload::Unchanged) => match what {
                Fetch::Dashboard => self.dashboard.unchanged(at),
                Fetch::Comparison => self.comparison.unchanged(at),
                Fetch::Experiments => self.experiments.unchanged(at),
                Fetch::Gap => self.gap.unchanged(at),
            },
            Err(error) => match what {
                Fetch::Dashboard => self.dashboard.failed(error),
                Fetch::Comparison => self.comparison.failed(error),
                Fetch::Experiments => self.experiments.failed(error),
                Fetch::Gap => self.gap.failed(error),
            },
        }
    }
}
