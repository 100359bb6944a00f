//! The Overview's state: the systems strip's cursor (`↑`/`↓`, `Enter`
//! selects the system under it) and how far the verdict is scrolled
//! (`J`/`K`, the wheel), how far the key figures are (`>`/`<`), and its
//! update arm.

use super::Outcome;
use crate::tui::action::Action;

/// What the Overview holds beyond the dashboard data.
#[derive(Debug, Default)]
pub struct OverviewTab {
    /// The strip row under the cursor.
    pub strip_row: usize,
    /// Lines of the verdict scrolled past.
    pub verdict_scroll: u16,
    /// Key figures scrolled past (`>`/`<`), at most all but the last.
    pub figures_scroll: u16,
}

impl OverviewTab {
    /// The tab's keys over a strip of `systems` (in strip order).
    pub fn update(&mut self, action: &Action, systems: &[String]) -> Outcome {
        let last = systems.len().saturating_sub(1);
        match action {
            Action::Up => self.strip_row = self.strip_row.min(last).saturating_sub(1),
            Action::Down => self.strip_row = (self.strip_row + 1).min(last),
            Action::PageUp => self.strip_row = 0,
            Action::PageDown => self.strip_row = last,
            Action::Enter => {
                return match systems.get(self.strip_row) {
                    Some(system) => Outcome::SelectSystem(system.clone()),
                    None => Outcome::Done,
                };
            }
            Action::ScrollDetail(lines) => self.scroll(*lines),
            Action::ScrollFigures(figures) => {
                let last = crate::tui::table_text::KEY_FIGURES.saturating_sub(1) as i64;
                let moved = i64::from(self.figures_scroll).saturating_add(*figures);
                self.figures_scroll = moved.clamp(0, last) as u16;
            }
            Action::ScrollDown => self.scroll(1),
            Action::ScrollUp => self.scroll(-1),
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }

    fn scroll(&mut self, lines: i64) {
        let moved = i64::from(self.verdict_scroll).saturating_add(lines);
        self.verdict_scroll = moved.clamp(0, i64::from(u16::MAX)) as u16;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_stays_on_the_strip_and_enter_selects_the_system_under_it() {
        let systems: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let mut tab = OverviewTab::default();
        tab.update(&Action::Up, &systems);
        assert_eq!(tab.strip_row, 0);
        for _ in 0..5 {
            tab.update(&Action::Down, &systems);
        }
        assert_eq!(tab.strip_row, 2);
        assert_eq!(
            tab.update(&Action::Enter, &systems),
            Outcome::SelectSystem("c".into())
        );
        tab.update(&Action::ScrollDetail(-3), &systems);
        assert_eq!(tab.verdict_scroll, 0, "never above the top");
        tab.update(&Action::ScrollDetail(3), &systems);
        assert_eq!(tab.verdict_scroll, 3);
        assert_eq!(tab.update(&Action::Enter, &[]), Outcome::Done);
    }
}
