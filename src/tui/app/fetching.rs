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
            Fetch::Experiments => &mut self.experiments.panel.pending,
            Fetch::Gap => &mut self.gap.panel.pending,
            Fetch::Versus => &mut self.versus.panel.pending,
            Fetch::Splits => &mut self.splits.panel.pending,
            Fetch::Tonight => &mut self.tonight.panel.pending,
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
                .panel
                .data
                .as_ref()
                .and_then(|data| data.version.clone()),
            Fetch::Gap => self
                .gap
                .panel
                .data
                .as_ref()
                .filter(|_| self.gap.is_current())
                .and_then(|data| data.version.clone()),
            Fetch::Versus => self
                .versus
                .panel
                .data
                .as_ref()
                .filter(|_| self.versus.answers(&self.selection))
                .and_then(|data| data.version.clone()),
            Fetch::Splits => self
                .splits
                .panel
                .data
                .as_ref()
                .filter(|data| data.selection == self.selection)
                .and_then(|data| data.version.clone()),
            // The slate depends on the clock as much as on the data.
            Fetch::Tonight => None,
        }
    }

    /// A new request for `what`; the previous one of the same kind is superseded
    /// (the runtime aborts it, and its late answer is dropped here). Data already
    /// on screen for this selection is not recomputed if the source is unchanged.
    pub(crate) fn fetch(&mut self, what: Fetch) -> Vec<Effect> {
        self.next_request += 1;
        let request = self.next_request;
        *self.pending_mut(what) = Some(request);
        vec![Effect::Fetch {
            what,
            request,
            selection: self.selection.clone(),
            unless_version: self.version_on_screen(what),
            experiment: match what {
                Fetch::Gap => self.gap.experiment.clone(),
                Fetch::Versus => self.versus.challenger.clone(),
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
    pub(crate) fn ensure_current(&mut self, what: Fetch) -> Vec<Effect> {
        let (pending, current) = match what {
            Fetch::Versus => (
                self.versus.panel.pending.is_some(),
                self.versus.answers(&self.selection),
            ),
            Fetch::Splits => (
                self.splits.panel.pending.is_some(),
                self.splits
                    .panel
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
                Fetch::Versus => self.versus.panel.loaded_at,
                _ => self.splits.panel.loaded_at,
            };
            return if panel_at < self.dashboard.loaded_at {
                self.refresh(what)
            } else {
                Vec::new()
            };
        }
        if what == Fetch::Splits {
            self.splits.cursor = 0;
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
        self.last_refresh_at = Some(self.now);
        let mut kinds = vec![Fetch::Dashboard, Fetch::Comparison, Fetch::Experiments];
        if self.gap.experiment.is_some() {
            kinds.push(Fetch::Gap);
        }
        // The comparison views cost a query each: refreshed while in view,
        // and checked again when they come back into view.
        match self.tab {
            Tab::Versus if self.versus.panel.data.is_some() => kinds.push(Fetch::Versus),
            Tab::Splits if self.splits.panel.data.is_some() => kinds.push(Fetch::Splits),
            Tab::Tonight => kinds.push(Fetch::Tonight),
            _ => {}
        }
        kinds
            .into_iter()
            .flat_map(|what| self.refresh(what))
            .collect()
    }

    /// Takes in an answer; a dashboard's latest date may move a selection
    /// that follows it (the effects fetch the new date).
    pub(super) fn loaded(
        &mut self,
        what: Fetch,
        request: u64,
        at: DateTime<Utc>,
        result: Result<Payload, String>,
    ) -> Vec<Effect> {
        // A late answer for a superseded request (an old date or system) is dropped.
        if *self.pending_mut(what) != Some(request) {
            return Vec::new();
        }
        match result {
            Ok(Payload::Dashboard(data)) => {
                if !data.systems.is_empty() {
                    self.systems = data.systems.clone();
                }
                let latest = data.latest_date;
                if let Some(billed) = data.billed_total {
                    self.billing.observe(billed, at.date_naive());
                }
                // The selected system's level changed under an open
                // dashboard (new data for the same date, or the next night
                // it follows), not by the user's moving: flashed in the
                // header, said in the terminal's title.
                let follows = self.follows_latest;
                let before = self
                    .dashboard
                    .data
                    .as_ref()
                    .filter(|old| {
                        old.selection == data.selection
                            || (follows
                                && old.selection.system == data.selection.system
                                && old.selection.date < data.selection.date)
                    })
                    .filter(|old| old.diagnostics.has_data())
                    .map(|old| old.diagnostics.alert_level);
                let mut effects = Vec::new();
                if let Some(from) = before
                    && data.diagnostics.has_data()
                    && data.diagnostics.alert_level != from
                {
                    let change = crate::tui::state::level_change::LevelChange {
                        system: data.selection.system.clone(),
                        from,
                        to: data.diagnostics.alert_level,
                        at,
                    };
                    effects.push(Effect::SetTitle(change.title()));
                    self.level_change = Some(change);
                }
                self.dashboard = Panel::loaded(*data, at);
                if let Some(latest) = latest {
                    effects.extend(self.latest_read(latest, at));
                }
                return effects;
            }
            Ok(Payload::Comparison(data)) => self.comparison = Panel::loaded(*data, at),
            Ok(Payload::Experiments(data)) => {
                // The selection stays on the same experiment when the rows
                // move (a promotion re-sorts them), not on the same row.
                let before = self.selected_entry().map(|entry| entry.id);
                self.experiments.panel = Panel::loaded(*data, at);
                let entries = self.visible_entries();
                let board = &mut self.experiments.board;
                board.selected = before
                    .and_then(|id| entries.iter().position(|entry| entry.id == id))
                    .unwrap_or(board.selected)
                    .min(entries.len().saturating_sub(1));
                if self.gap.experiment.is_none() {
                    self.gap.experiment = self
                        .experiments
                        .default_gap_experiment(self.settings.min_samples());
                }
            }
            Ok(Payload::Gap(data)) => self.gap.panel = Panel::loaded(*data, at),
            Ok(Payload::Versus(data)) => {
                self.versus.challenger = Some(data.challenger.clone());
                self.versus.panel = Panel::loaded(*data, at);
            }
            Ok(Payload::Splits(data)) => self.splits.panel = Panel::loaded(*data, at),
            Ok(Payload::Tonight(data)) => {
                // A new date (local midnight) starts at the top.
                if self
                    .tonight
                    .panel
                    .data
                    .as_ref()
                    .is_some_and(|old| old.slate.game_date != data.slate.game_date)
                {
                    self.tonight.scroll = 0;
                }
                self.tonight.panel = Panel::loaded(*data, at);
            }
            Ok(Payload::Unchanged) => match what {
                Fetch::Dashboard => self.dashboard.unchanged(at),
                Fetch::Comparison => self.comparison.unchanged(at),
                Fetch::Experiments => self.experiments.panel.unchanged(at),
                Fetch::Gap => self.gap.panel.unchanged(at),
                Fetch::Versus => self.versus.panel.unchanged(at),
                Fetch::Splits => self.splits.panel.unchanged(at),
                Fetch::Tonight => self.tonight.panel.unchanged(at),
            },
            Err(error) => match what {
                Fetch::Dashboard => self.dashboard.failed(error),
                Fetch::Comparison => self.comparison.failed(error),
                Fetch::Experiments => self.experiments.panel.failed(error),
                Fetch::Gap => self.gap.panel.failed(error),
                Fetch::Versus => self.versus.panel.failed(error),
                Fetch::Splits => self.splits.panel.failed(error),
                Fetch::Tonight => self.tonight.panel.failed(error),
            },
        }
        Vec::new()
    }
}
