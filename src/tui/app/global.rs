//! The update arm of what acts on every tab: quitting, tabs, the date and
//! system, refreshes, help, export, themes, the clock, answers arriving, and
//! mouse hits on the tab bar (a tab's own keys live with the tab).

use super::{App, Mode};
use crate::tui::action::{Action, Effect, Fetch, Tab};

impl App {
    pub(super) fn update_global(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.should_quit = true;
                vec![Effect::Quit]
            }
            Action::NextTab => {
                self.tab = Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()];
                self.entered_tab()
            }
            Action::PreviousTab => {
                self.tab = Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()];
                self.entered_tab()
            }
            Action::SelectTab(tab) => {
                self.tab = tab;
                self.entered_tab()
            }
            Action::Replanned(plan) => {
                self.notice = Some(
                    "the registry changed while the dialog was open: check what it archives now and confirm again"
                        .to_string(),
                );
                self.force_typed = None;
                let mut effects = self.ask_promotion_figures(&plan);
                self.mode = Mode::ConfirmPromote(plan);
                effects.extend(self.fetch(Fetch::Experiments));
                effects
            }
            Action::Promoted(result) => {
                self.notice = Some(match result {
                    Ok(message) => message,
                    Err(error) => format!("failed: {error}"),
                });
                self.fetch(Fetch::Experiments)
            }
            Action::Refresh => self.refresh_all(),
            Action::TogglePause => {
                self.paused = !self.paused;
                Vec::new()
            }
            Action::ToggleHelp => {
                self.show_help = !self.show_help;
                Vec::new()
            }
            Action::MoveDate(days) => self.move_date(days),
            Action::Today => self.follow_latest(),
            Action::OpenCommandLine => {
                self.mode = Mode::CommandLine {
                    typed: String::new(),
                    chosen: 0,
                };
                Vec::new()
            }
            Action::GoBack => self.go_back(),
            Action::OpenDrillDown => {
                if self.dashboard.data.is_some() {
                    self.mode = Mode::DrillDown { scroll: 0 };
                } else {
                    self.notice = Some("no data yet for a drill-down".to_string());
                }
                Vec::new()
            }
            Action::OpenSystemPicker => {
                if !self.systems.is_empty() {
                    let index = self
                        .systems
                        .iter()
                        .position(|s| *s == self.selection.system)
                        .unwrap_or(0);
                    self.mode = Mode::SystemPicker { index };
                }
                Vec::new()
            }
            Action::Back => {
                self.notice = None;
                self.chart_cursor = None;
                Vec::new()
            }
            Action::Export => match crate::tui::export::current_table(self) {
                Some((file_name, contents)) => vec![Effect::WriteFile {
                    file_name,
                    contents,
                }],
                None => {
                    self.notice = Some("nothing to export on this tab yet".to_string());
                    Vec::new()
                }
            },
            Action::SavePicture => {
                let body = self.body.get();
                let (width, height) = (body.width, body.height.saturating_add(3));
                match crate::tui::snapshot::draw_svg(self, width, height) {
                    Ok(contents) => vec![Effect::WriteFile {
                        file_name: format!(
                            "courtside-{}-{}.svg",
                            format!("{:?}", self.tab).to_lowercase(),
                            self.selection.date
                        ),
                        contents,
                    }],
                    Err(error) => {
                        self.notice = Some(format!("could not draw the picture: {error}"));
                        Vec::new()
                    }
                }
            }
            Action::NextTheme => {
                self.theme_index = (self.theme_index + 1) % self.themes.len().max(1);
                self.notice = Some(format!("theme: {}", self.theme().name));
                Vec::new()
            }
            Action::Click(column, row) => self.click(column, row),
            Action::Tick(now) => {
                self.now = now;
                let due = self.next_refresh_at().is_some_and(|at| at <= now);
                if due { self.refresh_all() } else { Vec::new() }
            }
            Action::Loaded {
                what,
                request,
                at,
                result,
            } => {
                let mut effects = self.loaded(what, request, at, result);
                // The registry may have just told the Gap tab what to analyse.
                if what == Fetch::Experiments {
                    effects.extend(self.entered_tab());
                }
                effects
            }
            Action::PromotionFigures {
                experiment_id,
                lines,
            } => {
                self.promotion_figures = Some((experiment_id, lines));
                Vec::new()
            }
            Action::Notice(text) => {
                self.notice = Some(text);
                Vec::new()
            }
            // Keys of a tab not in view, of a dialog not open, or of nothing.
            _ => Vec::new(),
        }
    }

    /// A click on the tab bar selects the tab; elsewhere the tab decides.
    pub(super) fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let bar = self.tab_bar.get();
        if row == bar.y && column >= bar.x && column < bar.x + bar.width {
            // Tabs are drawn as " N Title " separated by one cell.
            let mut x = bar.x;
            for (tab, label) in Tab::ALL
                .into_iter()
                .zip(crate::tui::geometry::tab_labels(bar.width))
            {
                let width = label.chars().count() as u16 + 1;
                if column < x + width {
                    self.tab = tab;
                    return self.entered_tab();
                }
                x += width;
            }
            return Vec::new();
        }
        match self.tab {
            Tab::Experiments => {
                let min_samples = self.settings.min_samples();
                self.experiments.click(column, row, min_samples);
            }
            Tab::Splits => self.splits.click(column, row),
            Tab::Gap => self.gap.click(column, row),
            _ => {}
        }
        Vec::new()
    }
}
