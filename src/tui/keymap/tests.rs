//! The key table: overrides, conflicts, scoping to tabs and dialogs.

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

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
    // Two keys of one dialog conflict; a dialog's key and a tab's do not.
    overrides.clear();
    overrides.insert("cancel".to_string(), "y".to_string());
    let error = Keymap::new(&overrides).unwrap_err();
    assert!(
        error.contains("`confirm`") && error.contains("`cancel`"),
        "{error}"
    );
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
    let mark = key(KeyCode::Char(' '));
    assert_eq!(keymap.action(&mark, Tab::Drift), None);
    // Esc backs out on every tab, though dialogs bind it too; k and j move.
    assert_eq!(
        keymap.action(&key(KeyCode::Esc), Tab::Overview),
        Some(Action::Back)
    );
    assert_eq!(
        keymap.action(&key(KeyCode::Char('j')), Tab::Gap),
        Some(Action::Down)
    );
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
    for dialog in [Dialog::Search, Dialog::Promote, Dialog::TypeForce] {
        assert_eq!(
            keymap.action_in(&ctrl_c, Context::Dialog(dialog)),
            Some(Action::Quit)
        );
    }
}

#[test]
fn dialogs_take_their_keys_from_the_same_table() {
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let promote = Context::Dialog(Dialog::Promote);
    assert_eq!(
        keymap.action_in(&key(KeyCode::Char('y')), promote),
        Some(Action::Confirm)
    );
    assert_eq!(
        keymap.action_in(&key(KeyCode::Char('F')), promote),
        Some(Action::ConfirmForce)
    );
    // A tab's key does nothing in a dialog; q still quits.
    assert_eq!(keymap.action_in(&key(KeyCode::Char('r')), promote), None);
    assert_eq!(
        keymap.action_in(&key(KeyCode::Char('q')), promote),
        Some(Action::Quit)
    );
    // A dialog that takes text takes q as a letter.
    let typing = Context::Dialog(Dialog::TypeForce);
    assert_eq!(
        keymap.action_in(&key(KeyCode::Char('q')), typing),
        Some(Action::SearchInput('q'))
    );
    assert_eq!(
        keymap.action_in(&key(KeyCode::Enter), typing),
        Some(Action::Enter)
    );
    // Rebinding a dialog key works like any other.
    let mut overrides = BTreeMap::new();
    overrides.insert("confirm".to_string(), "Y".to_string());
    let keymap = Keymap::new(&overrides).unwrap();
    assert_eq!(keymap.action_in(&key(KeyCode::Char('y')), promote), None);
    assert_eq!(
        keymap.action_in(&key(KeyCode::Char('Y')), promote),
        Some(Action::Confirm)
    );
}

#[test]
fn a_key_no_key_press_produces_is_refused() {
    for bad in ["NotAKey", "", "Ctrl-", "F25", "F0", "ab"] {
        let overrides = BTreeMap::from([("refresh".to_string(), bad.to_string())]);
        let error = Keymap::new(&overrides).unwrap_err();
        assert!(
            error.contains("keys.refresh") && error.contains("is not a key"),
            "{bad}: {error}"
        );
    }
    for good in ["F5", "Ctrl-r", "é", "F12"] {
        let overrides = BTreeMap::from([("refresh".to_string(), good.to_string())]);
        assert!(Keymap::new(&overrides).is_ok(), "{good}");
    }
}
