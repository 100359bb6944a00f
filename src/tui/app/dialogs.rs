//! The update arms of the dialogs: the system picker, the search box, the
//! comparison, the promote dialog (with the typed word that forces it), the
//! command line and the day drill-down. Each takes only its own keys.

use super::{App, Mode};
use crate::tui::action::{Action, Effect, Selection};

impl App {
    /// The open dialog's answer to `action`; `None` when the dialog leaves
    /// it alone (the caller passes background actions on).
    pub(super) fn update_dialog(&mut self, action: &Action) -> Option<Vec<Effect>> {
        match self.mode.clone() {
            Mode::Normal => None,
            Mode::SystemPicker { index } => self.picker(index, action),
            Mode::Search => self.search(action),
            Mode::Compare { scroll } => {
                self.mode = match action {
                    Action::Back => Mode::Normal,
                    Action::ScrollUp | Action::Up => Mode::Compare {
                        scroll: scroll.saturating_sub(1),
                    },
                    Action::ScrollDown | Action::Down => Mode::Compare { scroll: scroll + 1 },
                    _ => return None,
                };
                Some(Vec::new())
            }
            Mode::ConfirmPromote(plan) => self.confirm_promote(plan, action),
            Mode::ConfirmTyped { change, typed } => self.confirm_typed(change, typed, action),
            Mode::CommandLine { typed, chosen } => self.command_line(typed, chosen, action),
            Mode::DrillDown { scroll } => {
                self.mode = match action {
                    Action::Back => Mode::Normal,
                    Action::ScrollUp | Action::Up => Mode::DrillDown {
                        scroll: scroll.saturating_sub(1),
                    },
                    Action::ScrollDown | Action::Down => Mode::DrillDown { scroll: scroll + 1 },
                    _ => return None,
                };
                Some(Vec::new())
            }
        }
    }

    fn picker(&mut self, index: usize, action: &Action) -> Option<Vec<Effect>> {
        let last = self.systems.len().saturating_sub(1);
        match action {
            Action::Up | Action::ScrollUp => {
                self.mode = Mode::SystemPicker {
                    index: index.saturating_sub(1),
                };
            }
            Action::Down | Action::ScrollDown => {
                self.mode = Mode::SystemPicker {
                    index: (index + 1).min(last),
                };
            }
            Action::Enter => {
                self.mode = Mode::Normal;
                return Some(match self.systems.get(index).cloned() {
                    Some(system) => self.select(Selection {
                        date: self.selection.date,
                        system,
                    }),
                    None => Vec::new(),
                });
            }
            Action::Back => self.mode = Mode::Normal,
            _ => return None,
        }
        Some(Vec::new())
    }

    /// The search box filters as it is typed; Enter keeps the filter, Esc
    /// clears it.
    fn search(&mut self, action: &Action) -> Option<Vec<Effect>> {
        let board = &mut self.experiments.board;
        match action {
            Action::SearchInput(c) => board.filter.search.push(*c),
            Action::SearchBackspace => {
                board.filter.search.pop();
            }
            Action::Enter => self.mode = Mode::Normal,
            Action::Back => {
                board.filter.search.clear();
                self.mode = Mode::Normal;
            }
            _ => return None,
        }
        self.experiments.board.selected = 0;
        Some(Vec::new())
    }

    /// A dangerous registry change: carried out once its name is typed exactly.
    fn confirm_typed(
        &mut self,
        change: crate::service::registry_changes::RegistryChange,
        mut typed: String,
        action: &Action,
    ) -> Option<Vec<Effect>> {
        match action {
            Action::SearchInput(c) => typed.push(*c),
            Action::SearchBackspace => {
                typed.pop();
            }
            Action::Enter if typed == change.confirm_word() => {
                self.mode = Mode::Normal;
                self.notice = Some(format!("{}: carrying it out…", change.confirm_word()));
                return Some(vec![Effect::Registry(change)]);
            }
            Action::Enter => {
                self.notice = Some(format!(
                    "type {} exactly, then Enter (Esc cancels)",
                    change.confirm_word()
                ));
            }
            Action::Back => {
                self.mode = Mode::Normal;
                self.notice = Some("cancelled: nothing was changed".to_string());
                return Some(Vec::new());
            }
            _ => return None,
        }
        self.mode = Mode::ConfirmTyped { change, typed };
        Some(Vec::new())
    }

    fn confirm_promote(
        &mut self,
        plan: super::PromotePlan,
        action: &Action,
    ) -> Option<Vec<Effect>> {
        let forced = !plan.warnings.is_empty();
        Some(match action {
            // One key never forces past failed guard rails: that takes F
            // and the word typed, as the CLI takes --force.
            Action::Confirm if forced => {
                self.notice = Some(
                    "guard rails failed: F then type force to promote anyway (recorded as forced), n cancels"
                        .to_string(),
                );
                Vec::new()
            }
            Action::ConfirmForce if forced && self.force_typed.is_none() => {
                self.force_typed = Some(String::new());
                self.notice = None;
                Vec::new()
            }
            Action::SearchInput(c) if self.force_typed.is_some() => {
                if let Some(typed) = &mut self.force_typed {
                    typed.push(*c);
                }
                Vec::new()
            }
            Action::SearchBackspace if self.force_typed.is_some() => {
                if let Some(typed) = &mut self.force_typed {
                    typed.pop();
                }
                Vec::new()
            }
            Action::Enter if self.force_typed.is_some() => {
                if self.force_typed.as_deref() == Some("force") {
                    self.force_typed = None;
                    self.mode = Mode::Normal;
                    self.notice = Some(format!("promoting {} (forced)…", plan.experiment_name));
                    vec![Effect::Promote { plan, force: true }]
                } else {
                    self.notice = Some("type the word force, then Enter (Esc cancels)".to_string());
                    Vec::new()
                }
            }
            Action::Confirm | Action::ConfirmForce if !forced => {
                self.mode = Mode::Normal;
                self.notice = Some(format!("promoting {}…", plan.experiment_name));
                vec![Effect::Promote { plan, force: false }]
            }
            Action::Back => {
                self.force_typed = None;
                self.mode = Mode::Normal;
                self.notice = Some("promotion cancelled".to_string());
                Vec::new()
            }
            _ => return None,
        })
    }

    fn command_line(
        &mut self,
        mut typed: String,
        chosen: usize,
        action: &Action,
    ) -> Option<Vec<Effect>> {
        let mut chosen = chosen;
        match action {
            Action::SearchInput(c) => {
                typed.push(*c);
                chosen = 0;
            }
            // Backspace on an empty line goes back from the last jump.
            Action::SearchBackspace if typed.is_empty() => {
                self.mode = Mode::Normal;
                return Some(self.go_back());
            }
            Action::SearchBackspace => {
                typed.pop();
                chosen = 0;
            }
            Action::Up | Action::ScrollUp => chosen = chosen.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                let found = self.command_matches(&typed).len();
                chosen = (chosen + 1).min(found.saturating_sub(1));
            }
            Action::Back => {
                self.mode = Mode::Normal;
                return Some(Vec::new());
            }
            Action::Enter => {
                let found = self.command_matches(&typed);
                return Some(match found.get(chosen.min(found.len().saturating_sub(1))) {
                    Some(line) => {
                        self.mode = Mode::Normal;
                        self.notice = None;
                        let command = line.command.clone();
                        self.run_command(command)
                    }
                    None => {
                        self.notice = Some(
                            match crate::tui::palette::parse_jump(&typed, self.selection.date) {
                                Err(problem) if !typed.trim().is_empty() => format!(
                                    "{problem}; or a command: overview … tonight, versus S, gap E, system S, back (Ctrl-p lists them)"
                                ),
                                _ => "nothing matches: type a date or a command".to_string(),
                            },
                        );
                        Vec::new()
                    }
                });
            }
            _ => return None,
        }
        self.mode = Mode::CommandLine { typed, chosen };
        Some(Vec::new())
    }
}
