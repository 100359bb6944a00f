//! The command line (`:` or `Ctrl-p`): what can be run from it, and which
//! of those match what was typed. A date (`2026-01-24`, `01-24`, `-7`,
//! `date 01-24`) jumps to it; a word runs a command (`versus xgboost_v7`,
//! `gap NAME`, `exp NAME`, `system S`, `splits` or `tab splits`, `back`),
//! or any key's action by its name in the key table (`promote`, `export`,
//! with its key and a ⚠ where it changes the registry). Pure: the app
//! carries the command out.

use crate::tui::action::{Action, Tab};
use crate::tui::keymap::{Binding, Scope};
use chrono::{Datelike, Days, NaiveDate};

/// What a line of the command line does.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Tab(Tab),
    /// The Versus tab with this side B (a system or an experiment id).
    Versus(String),
    /// The Backtest gap tab on this experiment id.
    Gap(String),
    /// The Experiments tab with this experiment (by id) highlighted.
    Experiment(String),
    System(String),
    Date(NaiveDate),
    /// Back to where the last jump came from.
    Back,
    Today,
    Refresh,
    DrillDown,
    Help,
    /// A key's action, on its tab (`None`: it acts everywhere).
    Key {
        tab: Option<Tab>,
        action: Action,
    },
}

impl Command {
    /// Commands that go somewhere, and so can be gone back from.
    pub fn moves(&self) -> bool {
        matches!(
            self,
            Command::Tab(_)
                | Command::Versus(_)
                | Command::Gap(_)
                | Command::Experiment(_)
                | Command::System(_)
                | Command::Date(_)
        )
    }
}

/// One line of the palette: what to type, what it does.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub text: String,
    pub description: String,
    pub command: Command,
}

/// What the palette can offer: the systems, the backtested experiments
/// (`(id, name)`), the selection.
pub struct Offer<'a> {
    pub systems: &'a [String],
    pub selected_system: &'a str,
    /// The experiments with a backtest (Versus, Gap).
    pub experiments: &'a [(String, String)],
    /// Every experiment of the leaderboard (`exp NAME`).
    pub leaderboard: &'a [(String, String)],
    /// The key table (its dialogs' keys are not offered).
    pub bindings: &'a [Binding],
    pub date: NaiveDate,
}

fn entry(text: impl Into<String>, description: impl Into<String>, command: Command) -> Entry {
    Entry {
        text: text.into(),
        description: description.into(),
        command,
    }
}

/// The word that names a tab on the command line.
pub fn tab_word(tab: Tab) -> &'static str {
    match tab {
        Tab::Overview => "overview",
        Tab::Sharpness => "sharpness",
        Tab::Drift => "drift",
        Tab::Experiments => "experiments",
        Tab::Gap => "gap",
        Tab::Versus => "versus",
        Tab::Splits => "splits",
        Tab::Tonight => "tonight",
    }
}

/// Everything the command line can run now.
pub fn entries(offer: &Offer<'_>) -> Vec<Entry> {
    let mut all: Vec<Entry> = Tab::ALL
        .into_iter()
        .map(|tab| {
            entry(
                tab_word(tab),
                format!("{} tab", tab.title()),
                Command::Tab(tab),
            )
        })
        .collect();
    for system in offer.systems.iter().filter(|s| *s != offer.selected_system) {
        all.push(entry(
            format!("versus {system}"),
            format!("Versus: {} against {system}", offer.selected_system),
            Command::Versus(system.clone()),
        ));
    }
    for (id, name) in offer.experiments {
        all.push(entry(
            format!("versus {name}"),
            format!(
                "Versus: {} against the backtest of {name}",
                offer.selected_system
            ),
            Command::Versus(id.clone()),
        ));
        all.push(entry(
            format!("gap {name}"),
            format!("Backtest gap of {name}"),
            Command::Gap(id.clone()),
        ));
    }
    for (id, name) in offer.leaderboard {
        all.push(entry(
            format!("exp {name}"),
            format!("Experiments: {name} highlighted"),
            Command::Experiment(id.clone()),
        ));
    }
    for system in offer.systems {
        all.push(entry(
            format!("system {system}"),
            format!("select {system}"),
            Command::System(system.clone()),
        ));
    }
    all.extend([
        entry(
            "back",
            "back to where the last jump came from",
            Command::Back,
        ),
        entry(
            "today",
            "the latest date with data (and follow it)",
            Command::Today,
        ),
        entry("refresh", "refresh now", Command::Refresh),
        entry("drill-down", "day by day per system", Command::DrillDown),
        entry("help", "every key", Command::Help),
    ]);
    // Every key's action by its name, with its key, the tab it acts on and
    // a ⚠ where it changes the registry (what a command above already says
    // is left out: the tabs, the command line itself, back, quit).
    for binding in offer.bindings {
        let tab = match binding.scope {
            Scope::Everywhere => None,
            Scope::Tabs(tabs) => tabs.first().copied(),
            Scope::In(_) => continue,
        };
        if matches!(
            binding.action,
            Action::SelectTab(_)
                | Action::OpenCommandLine
                | Action::GoBack
                | Action::Quit
                | Action::ToggleHelp
                | Action::Refresh
                | Action::Today
                | Action::OpenDrillDown
        ) || all.iter().any(|e| e.text == binding.name)
        {
            continue;
        }
        let place = tab.map_or_else(String::new, |tab| format!(", {}", tab.title()));
        let danger = if binding.dangerous { " ⚠" } else { "" };
        all.push(entry(
            binding.name.replace('_', " "),
            format!("{} ({}{place}){danger}", binding.description, binding.key),
            Command::Key {
                tab,
                action: binding.action.clone(),
            },
        ));
    }
    all
}

/// The entries matching `typed`: a date first when it reads as one, then
/// those starting with it, then those holding each of its words, then
/// those holding each word's letters in order (`vrs xgb` finds `versus
/// xgboost_v7`).
pub fn matching(typed: &str, offer: &Offer<'_>) -> Vec<Entry> {
    let typed = typed.trim();
    let mut found = Vec::new();
    // `tab splits` is `splits`; `date 01-24` is `01-24`.
    let typed = typed.strip_prefix("tab ").unwrap_or(typed);
    let date_text = typed.strip_prefix("date ").unwrap_or(typed);
    if !date_text.is_empty()
        && let Ok(date) = parse_jump(date_text, offer.date)
    {
        found.push(entry(
            format!("date {date}"),
            format!("go to {date}"),
            Command::Date(date),
        ));
    }
    let lower = typed.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let all = entries(offer);
    let (holding, others): (Vec<Entry>, Vec<Entry>) = all.into_iter().partition(|e| {
        let text = e.text.to_lowercase();
        words.iter().all(|word| text.contains(word))
    });
    let (starting, holding): (Vec<Entry>, Vec<Entry>) = holding
        .into_iter()
        .partition(|e| e.text.to_lowercase().starts_with(&lower));
    found.extend(starting);
    found.extend(holding);
    found.extend(others.into_iter().filter(|e| {
        let text = e.text.to_lowercase();
        words.iter().all(|word| in_order(word, &text))
    }));
    found
}

/// Whether `word`'s characters appear in `text` in their order.
fn in_order(word: &str, text: &str) -> bool {
    let mut rest = text.chars();
    word.chars().all(|wanted| rest.any(|c| c == wanted))
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
    use super::*;

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

    fn offer<'a>(systems: &'a [String], experiments: &'a [(String, String)]) -> Offer<'a> {
        Offer {
            systems,
            selected_system: "catboost_v8",
            experiments,
            leaderboard: experiments,
            bindings: &[],
            date: NaiveDate::from_ymd_opt(2026, 4, 12).unwrap(),
        }
    }

    #[test]
    fn typing_finds_the_command_and_a_date_comes_first() {
        let systems = ["catboost_v8".to_string(), "xgboost_v7".to_string()];
        let experiments = [("e1".to_string(), "JAN_DEC".to_string())];
        let offer = offer(&systems, &experiments);
        let found = matching("versus xg", &offer);
        assert_eq!(found[0].command, Command::Versus("xgboost_v7".into()));
        assert_eq!(found[0].text, "versus xgboost_v7");
        assert!(
            matching("versus catboost_v8", &offer).is_empty(),
            "not against itself"
        );
        assert_eq!(
            matching("gap jan", &offer)[0].command,
            Command::Gap("e1".into())
        );
        let dated = matching("01-24", &offer);
        assert_eq!(
            dated[0].command,
            Command::Date(NaiveDate::from_ymd_opt(2026, 1, 24).unwrap())
        );
        assert_eq!(matching("date -7", &offer)[0].text, "date 2026-04-05");
        assert_eq!(
            matching("spl", &offer)[0].command,
            Command::Tab(Tab::Splits)
        );
        assert_eq!(matching("back", &offer)[0].command, Command::Back);
        assert!(matching("nothing like it", &offer).is_empty());
        // Letters in order: a few of each word are enough.
        assert_eq!(
            matching("vrs xgb", &offer)[0].command,
            Command::Versus("xgboost_v7".into())
        );
        assert_eq!(
            matching("sys xg7", &offer)[0].command,
            Command::System("xgboost_v7".into())
        );
        assert!(matching("vrs qq", &offer).is_empty());
        assert_eq!(
            matching("tab splits", &offer)[0].command,
            Command::Tab(Tab::Splits)
        );
        assert_eq!(
            matching("exp jan", &offer)[0].command,
            Command::Experiment("e1".into())
        );
        // An empty line offers everything, tabs first.
        assert_eq!(matching("", &offer)[0].command, Command::Tab(Tab::Overview));
    }
}
