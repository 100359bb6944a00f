//! Keys -> actions, each with a description: the single table behind key
//! handling, the footer hints and the `?` help overlay. Keys can be rebound in
//! the config (`keys: {refresh: F5}`).

use super::action::{Action, Tab};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// One binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Name used in the config's `keys:` map.
    pub name: &'static str,
    pub key: String,
    pub action: Action,
    pub description: &'static str,
    /// Tabs where the key acts (`None`: everywhere); elsewhere it does nothing.
    pub tabs: Option<&'static [Tab]>,
    /// Changes the registry: hidden in read-only mode, always asks first.
    pub dangerous: bool,
}

const EXPERIMENTS: &[Tab] = &[Tab::Experiments];
const GAP: &[Tab] = &[Tab::Gap];
const VERSUS: &[Tab] = &[Tab::Versus];

/// The default bindings (product.md "Keys").
fn defaults() -> Vec<Binding> {
    let b = |name, key: &str, action, description, tabs| Binding {
        name,
        key: key.to_string(),
        action,
        description,
        tabs,
        dangerous: false,
    };
    vec![
        b(
            "overview",
            "1",
            Action::SelectTab(Tab::Overview),
            "Overview tab",
            None,
        ),
        b(
            "sharpness",
            "2",
            Action::SelectTab(Tab::Sharpness),
            "Sharpness tab",
            None,
        ),
        b(
            "drift",
            "3",
            Action::SelectTab(Tab::Drift),
            "Drift tab",
            None,
        ),
        b(
            "experiments",
            "4",
            Action::SelectTab(Tab::Experiments),
            "Experiments tab",
            None,
        ),
        b(
            "gap",
            "5",
            Action::SelectTab(Tab::Gap),
            "Backtest gap tab",
            None,
        ),
        b(
            "versus",
            "6",
            Action::SelectTab(Tab::Versus),
            "Versus tab",
            None,
        ),
        b(
            "splits",
            "7",
            Action::SelectTab(Tab::Splits),
            "Splits tab",
            None,
        ),
        b("next_tab", "Tab", Action::NextTab, "next tab", None),
        b(
            "previous_tab",
            "BackTab",
            Action::PreviousTab,
            "previous tab",
            None,
        ),
        b("help", "?", Action::ToggleHelp, "this help", None),
        b("quit", "q", Action::Quit, "quit (also Ctrl-C)", None),
        b("refresh", "r", Action::Refresh, "refresh now", None),
        b(
            "pause",
            "p",
            Action::TogglePause,
            "pause / resume live refresh",
            None,
        ),
        b(
            "system",
            "s",
            Action::OpenSystemPicker,
            "pick the system",
            None,
        ),
        b(
            "previous_day",
            "[",
            Action::MoveDate(-1),
            "previous day",
            None,
        ),
        b("next_day", "]", Action::MoveDate(1), "next day", None),
        b(
            "previous_week",
            "{",
            Action::MoveDate(-7),
            "a week back",
            None,
        ),
        b(
            "next_week",
            "}",
            Action::MoveDate(7),
            "a week forward",
            None,
        ),
        b(
            "today",
            "t",
            Action::Today,
            "back to today (latest date with data)",
            None,
        ),
        b(
            "search",
            "/",
            Action::StartSearch,
            "search experiments",
            Some(EXPERIMENTS),
        ),
        b(
            "details",
            "Enter",
            Action::Enter,
            "details / choose",
            Some(EXPERIMENTS),
        ),
        b(
            "mark",
            "Space",
            Action::Mark,
            "mark for comparison",
            Some(EXPERIMENTS),
        ),
        b(
            "sort",
            "o",
            Action::CycleSort,
            "sort by the next column",
            Some(EXPERIMENTS),
        ),
        b(
            "reverse",
            "O",
            Action::ReverseSort,
            "reverse the sort",
            Some(EXPERIMENTS),
        ),
        b(
            "status_filter",
            "f",
            Action::CycleStatusFilter,
            "filter by status",
            Some(EXPERIMENTS),
        ),
        b(
            "show_hidden",
            "a",
            Action::ToggleHidden,
            "show failed / archived",
            Some(EXPERIMENTS),
        ),
        b(
            "compare",
            "c",
            Action::Compare,
            "compare the marked experiments",
            Some(EXPERIMENTS),
        ),
        Binding {
            dangerous: true,
            ..b(
                "promote",
                "P",
                Action::Promote,
                "promote the selected experiment (asks first)",
                Some(EXPERIMENTS),
            )
        },
        b(
            "gap_of_selected",
            "g",
            Action::GapOfSelected,
            "backtest gap of the selected experiment",
            Some(EXPERIMENTS),
        ),
        b(
            "next_experiment",
            "x",
            Action::CycleGapExperiment(1),
            "next experiment with a backtest",
            Some(GAP),
        ),
        b(
            "previous_experiment",
            "X",
            Action::CycleGapExperiment(-1),
            "previous experiment with a backtest",
            Some(GAP),
        ),
        b(
            "next_challenger",
            "x",
            Action::CycleChallenger(1),
            "next challenger (systems, then backtested experiments)",
            Some(VERSUS),
        ),
        b(
            "previous_challenger",
            "X",
            Action::CycleChallenger(-1),
            "previous challenger",
            Some(VERSUS),
        ),
        b(
            "jump_to_date",
            "Enter",
            Action::Enter,
            "Overview on the highlighted missing date",
            Some(GAP),
        ),
        b(
            "export",
            "e",
            Action::Export,
            "export the table as CSV",
            None,
        ),
        b("theme", "T", Action::NextTheme, "next theme", None),
        b("up", "Up", Action::Up, "move up (also k)", None),
        b("down", "Down", Action::Down, "move down (also j)", None),
    ]
}

/// Keys with a fixed meaning that no binding may take.
const RESERVED: [&str; 4] = ["Ctrl-c", "Esc", "k", "j"];

/// The effective key table.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

/// Text form of a key event (`q`, `Enter`, `Ctrl-c`, `F5`).
pub fn key_name(event: &KeyEvent) -> Option<String> {
    let base = match event.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => "BackTab".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Up => "Up".to_string(),
        KeyCode::Down => "Down".to_string(),
        KeyCode::Left => "Left".to_string(),
        KeyCode::Right => "Right".to_string(),
        KeyCode::PageUp => "PageUp".to_string(),
        KeyCode::PageDown => "PageDown".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        _ => return None,
    };
    if event.modifiers.contains(KeyModifiers::CONTROL) {
        Some(format!("Ctrl-{base}"))
    } else {
        Some(base)
    }
}

impl Keymap {
    /// The defaults with the config's overrides; an unknown action name is an error.
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        let mut bindings = defaults();
        for (name, key) in overrides {
            match bindings.iter_mut().find(|b| b.name == name) {
                Some(binding) => binding.key = key.clone(),
                None => {
                    let known: Vec<&str> = defaults().iter().map(|b| b.name).collect();
                    return Err(format!(
                        "keys.{name}: unknown action (known: {})",
                        known.join(", ")
                    ));
                }
            }
        }
        for binding in &bindings {
            if RESERVED.contains(&binding.key.as_str()) {
                return Err(format!(
                    "keys.{}: `{}` is reserved ({})",
                    binding.name,
                    binding.key,
                    RESERVED.join(", ")
                ));
            }
        }
        for (i, first) in bindings.iter().enumerate() {
            for second in &bindings[i + 1..] {
                let overlap = match (first.tabs, second.tabs) {
                    (None, _) | (_, None) => true,
                    (Some(a), Some(b)) => a.iter().any(|tab| b.contains(tab)),
                };
                if first.key == second.key && overlap {
                    return Err(format!(
                        "keys: `{}` is bound to both `{}` and `{}`; give one of them another key",
                        first.key, first.name, second.name
                    ));
                }
            }
        }
        Ok(Keymap { bindings })
    }

    /// The action of a key on `tab`: a key bound to other tabs does nothing
    /// here, so no key acts on a screen the user cannot see.
    pub fn action(&self, event: &KeyEvent, tab: Tab) -> Option<Action> {
        let name = key_name(event)?;
        if name == "Ctrl-c" {
            return Some(Action::Quit);
        }
        if let Some(binding) = self
            .bindings
            .iter()
            .find(|b| b.key == name && b.tabs.is_none_or(|tabs| tabs.contains(&tab)))
        {
            return Some(binding.action.clone());
        }
        if self.bindings.iter().any(|b| b.key == name) {
            return None;
        }
        match name.as_str() {
            "k" => Some(Action::Up),
            "j" => Some(Action::Down),
            "Esc" => Some(Action::Back),
            _ => None,
        }
    }

    /// Bindings that matter on `tab`, for the footer.
    pub fn for_tab(&self, tab: Tab) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(move |b| b.tabs.is_some_and(|tabs| tabs.contains(&tab)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_rebind_and_unknown_names_are_errors() {
        let mut overrides = BTreeMap::new();
        overrides.insert("refresh".to_string(), "F5".to_string());
        let keymap = Keymap::new(&overrides).unwrap();
        let f5 = KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(keymap.action(&f5, Tab::Overview), Some(Action::Refresh));
        overrides.insert("refrsh".to_string(), "x".to_string());
        assert!(Keymap::new(&overrides).unwrap_err().contains("keys.refrsh"));
    }

    #[test]
    fn two_actions_on_one_key_are_a_config_error_naming_both() {
        let mut overrides = BTreeMap::new();
        overrides.insert("refresh".to_string(), "q".to_string());
        let error = Keymap::new(&overrides).unwrap_err();
        assert!(
            error.contains("`q`") && error.contains("`quit`") && error.contains("`refresh`"),
            "{error}"
        );
        // The same key on tabs that never show together is fine (Enter).
        assert!(Keymap::new(&BTreeMap::new()).is_ok());
        overrides.clear();
        overrides.insert("refresh".to_string(), "Esc".to_string());
        assert!(Keymap::new(&overrides).unwrap_err().contains("reserved"));
    }

    #[test]
    fn a_key_of_another_tab_does_nothing_here() {
        let keymap = Keymap::new(&BTreeMap::new()).unwrap();
        let promote = KeyEvent::new(KeyCode::Char('P'), KeyModifiers::SHIFT);
        assert_eq!(keymap.action(&promote, Tab::Overview), None);
        assert_eq!(
            keymap.action(&promote, Tab::Experiments),
            Some(Action::Promote)
        );
        let mark = KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE);
        assert_eq!(keymap.action(&mark, Tab::Drift), None);
        assert!(
            keymap
                .bindings
                .iter()
                .any(|b| b.dangerous && b.action == Action::Promote)
        );
    }

    #[test]
    fn ctrl_c_always_quits() {
        let keymap = Keymap::new(&BTreeMap::new()).unwrap();
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keymap.action(&ctrl_c, Tab::Gap), Some(Action::Quit));
    }
}
