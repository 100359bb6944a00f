//! Keys -> actions, each with a description and where it acts: the single
//! table behind key handling in every mode (tabs and dialogs alike), the
//! footer hints and the `?` help overlay. Keys can be rebound in the config
//! (`keys: {refresh: F5}`); a key bound twice where both would act is a
//! config error naming both.

use super::action::{Action, Tab};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// A dialog that takes the keys while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// Typing a search of the leaderboard.
    Search,
    /// Choosing the system.
    Picker,
    /// The comparison of the marked experiments.
    Compare,
    /// Asking before a promotion.
    Promote,
    /// Typing the word that forces a promotion past its guard rails.
    TypeForce,
    /// The command line: a date to jump to or a command (`:`, `Ctrl-p`).
    CommandLine,
    /// Typing the name that confirms an archive, a rollback or an approval.
    TypeName,
    /// The per-day drill-down of the selected date.
    DrillDown,
    /// The key help (`?`), scrolled when it does not fit.
    Help,
}

impl Dialog {
    /// Dialogs that take typed characters as text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Dialog::Search | Dialog::TypeForce | Dialog::CommandLine | Dialog::TypeName
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            Dialog::Search => "search box",
            Dialog::Picker => "system picker",
            Dialog::Compare => "comparison",
            Dialog::Promote => "promote dialog",
            Dialog::TypeForce => "typing force",
            Dialog::CommandLine => "command line",
            Dialog::TypeName => "typing a name to confirm",
            Dialog::DrillDown => "day drill-down",
            Dialog::Help => "help",
        }
    }
}

/// Where a binding acts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scope {
    /// On every tab (not in dialogs).
    Everywhere,
    /// Only on these tabs: elsewhere the key does nothing.
    Tabs(&'static [Tab]),
    /// Only while this dialog is open.
    In(Dialog),
}

impl Scope {
    /// Two bindings with the same key conflict when both could act at once.
    fn overlaps(self, other: Scope) -> bool {
        match (self, other) {
            (Scope::In(a), Scope::In(b)) => a == b,
            (Scope::In(_), _) | (_, Scope::In(_)) => false,
            (Scope::Everywhere, _) | (_, Scope::Everywhere) => true,
            (Scope::Tabs(a), Scope::Tabs(b)) => a.iter().any(|tab| b.contains(tab)),
        }
    }
}

/// What has the keys: a tab, or a dialog over it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Context {
    Tab(Tab),
    Dialog(Dialog),
}

/// One binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Name used in the config's `keys:` map.
    pub name: &'static str,
    pub key: String,
    pub action: Action,
    pub description: &'static str,
    pub scope: Scope,
    /// Changes the registry: hidden in read-only mode, always asks first.
    pub dangerous: bool,
}

/// Keys with a fixed meaning that no binding may take.
const RESERVED: [&str; 3] = ["Ctrl-c", "k", "j"];

/// Fixed second keys: `k`/`j` move as Up/Down do, and a dialog's own toggle
/// key (`c`, `d`, `Enter` on the comparison) closes it.
fn fixed(name: &str, context: Context) -> Option<Action> {
    match (name, context) {
        ("k", Context::Dialog(Dialog::Compare | Dialog::DrillDown | Dialog::Help)) => {
            Some(Action::ScrollUp)
        }
        ("j", Context::Dialog(Dialog::Compare | Dialog::DrillDown | Dialog::Help)) => {
            Some(Action::ScrollDown)
        }
        ("k", _) => Some(Action::Up),
        ("j", _) => Some(Action::Down),
        ("c" | "Enter", Context::Dialog(Dialog::Compare)) => Some(Action::Back),
        ("d", Context::Dialog(Dialog::DrillDown)) => Some(Action::Back),
        ("Esc", Context::Dialog(Dialog::Promote)) => Some(Action::Back),
        ("Esc", Context::Tab(_)) => Some(Action::Back),
        _ => None,
    }
}

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

/// Whether `text` names a key [`key_name`] can produce: one character,
/// `Space`, `Enter`, `Esc`, `Tab`, `BackTab`, `Backspace`, the arrows,
/// `PageUp`, `PageDown`, `F1`-`F24`, each also as `Ctrl-…`.
pub fn is_key_name(text: &str) -> bool {
    let base = text.strip_prefix("Ctrl-").unwrap_or(text);
    const NAMED: [&str; 12] = [
        "Space",
        "Enter",
        "Esc",
        "Tab",
        "BackTab",
        "Backspace",
        "Up",
        "Down",
        "Left",
        "Right",
        "PageUp",
        "PageDown",
    ];
    base.chars().count() == 1 && !base.chars().any(char::is_control)
        || NAMED.contains(&base)
        || base
            .strip_prefix('F')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=24).contains(&n))
}

impl Keymap {
    /// The defaults with the config's overrides; an unknown action name or
    /// a key that no key press produces is an error.
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        let mut bindings = defaults();
        for (name, key) in overrides {
            if !is_key_name(key) {
                return Err(format!(
                    "keys.{name}: `{key}` is not a key (one character, Space, Enter, Esc, Tab, BackTab, Backspace, Up, Down, Left, Right, PageUp, PageDown, F1-F24, each also as Ctrl-…)"
                ));
            }
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
            let reserved = RESERVED.contains(&binding.key.as_str())
                || (binding.key == "Esc" && !matches!(binding.action, Action::Back));
            if reserved {
                return Err(format!(
                    "keys.{}: `{}` is reserved (Ctrl-c quits, k and j move, Esc backs out)",
                    binding.name, binding.key
                ));
            }
        }
        for (i, first) in bindings.iter().enumerate() {
            for second in &bindings[i + 1..] {
                if first.key == second.key && first.scope.overlaps(second.scope) {
                    return Err(format!(
                        "keys: `{}` is bound to both `{}` and `{}`; give one of them another key",
                        first.key, first.name, second.name
                    ));
                }
            }
        }
        Ok(Keymap { bindings })
    }

    /// The action of a key where the user is: on a tab, a key bound to other
    /// tabs does nothing, so no key acts on a screen the user cannot see; in a
    /// dialog only the dialog's keys and quitting act, and a dialog that
    /// takes text takes every other character as typed.
    pub fn action_in(&self, event: &KeyEvent, context: Context) -> Option<Action> {
        let name = key_name(event)?;
        if name == "Ctrl-c" {
            return Some(Action::Quit);
        }
        let acts_here = |binding: &&Binding| match (binding.scope, context) {
            (Scope::In(dialog), Context::Dialog(open)) => dialog == open,
            (Scope::In(_), Context::Tab(_)) | (_, Context::Dialog(_)) => false,
            (Scope::Everywhere, Context::Tab(_)) => true,
            (Scope::Tabs(tabs), Context::Tab(tab)) => tabs.contains(&tab),
        };
        if let Some(binding) = self
            .bindings
            .iter()
            .filter(acts_here)
            .find(|b| b.key == name)
        {
            return Some(binding.action.clone());
        }
        if let Context::Dialog(dialog) = context {
            if dialog.takes_text() {
                return match event.code {
                    KeyCode::Char(c) if !event.modifiers.contains(KeyModifiers::CONTROL) => {
                        Some(Action::SearchInput(c))
                    }
                    _ => None,
                };
            }
            if let Some(action) = fixed(&name, context) {
                return Some(action);
            }
            // Quitting works from every dialog that does not take text.
            return self
                .bindings
                .iter()
                .find(|b| b.key == name && b.action == Action::Quit)
                .map(|b| b.action.clone());
        }
        // A key some other tab binds does nothing here (dialog keys aside).
        if self
            .bindings
            .iter()
            .any(|b| b.key == name && !matches!(b.scope, Scope::In(_)))
        {
            return None;
        }
        fixed(&name, context)
    }

    /// The action of a key on `tab` (no dialog open).
    pub fn action(&self, event: &KeyEvent, tab: Tab) -> Option<Action> {
        self.action_in(event, Context::Tab(tab))
    }

    /// Bindings that act only on `tab`, for the footer and the help.
    pub fn for_tab(&self, tab: Tab) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(move |b| matches!(b.scope, Scope::Tabs(tabs) if tabs.contains(&tab)))
    }

    /// Bindings of `dialog`, for the footer and the help.
    pub fn for_dialog(&self, dialog: Dialog) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(move |b| b.scope == Scope::In(dialog))
    }

    /// Bindings that act on every tab.
    pub fn everywhere(&self) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(|b| b.scope == Scope::Everywhere)
    }
}

mod defaults;
#[cfg(test)]
mod tests;

use defaults::defaults;
