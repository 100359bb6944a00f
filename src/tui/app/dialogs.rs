//! The update arms of the dialogs: the system picker, the search box, the
//! comparison, the promote dialog (with the typed word that forces it), the
//! date prompt and the day drill-down. Each takes only its own keys.

use super::{App, Mode};
use crate::tui::action::{Action, Effect, Selection};
use chrono::{Datelike, Days, NaiveDate};

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
            Mode::DatePrompt { typed } => self.date_prompt(typed, action),
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

    fn date_prompt(&mut self, mut typed: String, action: &Action) -> Option<Vec<Effect>> {
        match action {
            Action::SearchInput(c) => typed.push(*c),
            Action::SearchBackspace => {
                typed.pop();
            }
            Action::Back => {
                self.mode = Mode::Normal;
                return Some(Vec::new());
            }
            Action::Enter => {
                return Some(match parse_jump(&typed, self.selection.date) {
                    Ok(date) => {
                        self.mode = Mode::Normal;
                        // Past the data and past tomorrow there is nothing to
                        // see: the jump stops at the later of the two.
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
                    Err(problem) => {
                        self.notice = Some(problem);
                        Vec::new()
                    }
                });
            }
            _ => return None,
        }
        self.mode = Mode::DatePrompt { typed };
        Some(Vec::new())
    }
}

/// The date a jump names: `2026-03-02`; `03-02` (the selected date's year);
/// `-7` or `+3` days from the selected date.
pub fn parse_jump(text: &str, from: NaiveDate) -> Result<NaiveDate, String> {
    let text = text.trim();
    let problem =
        || format!("`{text}` is not a date: type YYYY-MM-DD, MM-DD, or -N / +N days, then Enter");
    if let Some(days) = text.strip_prefix(['-', '+']) {
        let days: u64 = days.parse().map_err(|_| problem())?;
        let moved = if text.starts_with('-') {
            from.checked_sub_days(Days::new(days))
        } else {
            from.checked_add_days(Days::new(days))
        };
        return moved.ok_or_else(problem);
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    NaiveDate::parse_from_str(&format!("{}-{text}", from.year()), "%Y-%m-%d").map_err(|_| problem())
}

#[cfg(test)]
mod tests {
    use super::parse_jump;
    use chrono::NaiveDate;

    #[test]
    fn jumps_take_a_date_a_day_of_the_year_or_a_count_of_days() {
        let from = NaiveDate::from_ymd_opt(2026, 4, 12).unwrap();
        let day = |text: &str| parse_jump(text, from);
        assert_eq!(
            day("2026-01-24"),
            Ok(NaiveDate::from_ymd_opt(2026, 1, 24).unwrap())
        );
        assert_eq!(
            day("03-02"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())
        );
        assert_eq!(day("-7"), Ok(NaiveDate::from_ymd_opt(2026, 4, 5).unwrap()));
        assert_eq!(day("+3"), Ok(NaiveDate::from_ymd_opt(2026, 4, 15).unwrap()));
        assert!(day("02-30").unwrap_err().contains("`02-30` is not a date"));
        assert!(day("yesterday").is_err());
        assert!(day("-x").is_err());
    }
}
