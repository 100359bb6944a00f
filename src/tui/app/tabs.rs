//! The tab in view gets the action first: one arm per tab hands it what it
//! needs, and its [`Outcome`] is carried out here.

use super::App;
use crate::tui::action::{Action, Effect, Fetch, Tab};
use crate::tui::state::{Mode, Outcome, cursor};

impl App {
    /// The tab in view's answer to `action`; `None` for what the app handles.
    pub(super) fn update_tab(&mut self, action: &Action) -> Option<Vec<Effect>> {
        let page = self.page_rows();
        let outcome = match self.tab {
            Tab::Overview if !matches!(action, Action::CursorMove(_)) => {
                let systems = self.strip_systems();
                self.overview.update(action, &systems)
            }
            Tab::Overview | Tab::Sharpness | Tab::Drift => {
                let days = self.dashboard.data.as_ref().map_or(0, |data| {
                    data.series_of(&data.selection.system).map_or(0, <[_]>::len)
                });
                cursor::update(&mut self.chart_cursor, action, days)
            }
            Tab::Experiments => self.experiments.update(action, &self.settings, page),
            Tab::Gap => {
                let candidates: Vec<String> =
                    self.gap_candidates().into_iter().map(|e| e.id).collect();
                self.gap.update(action, &candidates, page)
            }
            Tab::Versus => {
                let candidates = self.challenger_candidates();
                self.versus
                    .update(action, &candidates, &self.selection.system)
            }
            Tab::Splits => self.splits.update(action, page),
            Tab::Tonight => self.tonight.update(action, page),
        };
        self.carry_out(outcome)
    }

    /// Asks for what the promote dialog shows of `plan`'s candidate.
    pub(super) fn ask_promotion_figures(
        &mut self,
        plan: &crate::registry::promotion::PromotionPlan,
    ) -> Vec<Effect> {
        if self
            .promotion_figures
            .as_ref()
            .is_some_and(|(id, _)| *id == plan.experiment_id)
        {
            return Vec::new();
        }
        self.promotion_figures = None;
        vec![Effect::PromotionFigures(plan.clone())]
    }

    /// The systems of the Overview's strip, in its order.
    pub fn strip_systems(&self) -> Vec<String> {
        self.dashboard.data.as_ref().map_or_else(Vec::new, |data| {
            data.glance.iter().map(|g| g.system_id.clone()).collect()
        })
    }

    /// Does what a tab asked; `None` when it did not take the action.
    pub(super) fn carry_out(&mut self, outcome: Outcome) -> Option<Vec<Effect>> {
        Some(match outcome {
            Outcome::Ignored => return None,
            Outcome::Done => Vec::new(),
            Outcome::Effects(effects) => effects,
            Outcome::Fetch(what) => self.fetch(what),
            Outcome::EnsureVersus => self.ensure_current(Fetch::Versus),
            Outcome::ShowDate(date) => {
                self.remember_place();
                self.tab = Tab::Overview;
                self.choose_date(date)
            }
            Outcome::Analyse(experiment) => {
                self.remember_place();
                self.gap.experiment = Some(experiment);
                self.tab = Tab::Gap;
                let ensure = self.gap.ensure();
                self.carry_out(ensure).unwrap_or_default()
            }
            Outcome::Open(mode) => {
                self.notice = None;
                let effects = match &mode {
                    Mode::ConfirmPromote(plan) => self.ask_promotion_figures(plan),
                    _ => Vec::new(),
                };
                self.mode = mode;
                effects
            }
            Outcome::Notice(text) => {
                self.notice = Some(text);
                Vec::new()
            }
            Outcome::SelectSystem(system) => {
                self.remember_place();
                self.select(crate::tui::action::Selection {
                    date: self.selection.date,
                    system,
                })
            }
        })
    }
}
