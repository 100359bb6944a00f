//! The default key table.

use super::{Binding, Dialog, Scope};
use crate::tui::action::{Action, Tab};

const EXPERIMENTS: &[Tab] = &[Tab::Experiments];
const GAP: &[Tab] = &[Tab::Gap];
const VERSUS: &[Tab] = &[Tab::Versus];
const SPLITS: &[Tab] = &[Tab::Splits];
const OVERVIEW: &[Tab] = &[Tab::Overview];
/// Tabs that draw a day series with a value cursor.
const CHARTS: &[Tab] = &[Tab::Overview, Tab::Sharpness, Tab::Drift];
/// Tabs with a list to move in.
const LISTS: &[Tab] = &[Tab::Overview, Tab::Experiments, Tab::Gap, Tab::Splits];

/// The default bindings (product.md "Keys"), one per line: name (for the
/// config's `keys:`), key, action, description, where it acts.
#[rustfmt::skip]
pub(super) fn defaults() -> Vec<Binding> {
    use Action as A;
    use Dialog as D;
    use Scope::{Everywhere as ALL, In, Tabs};
    let rows: Vec<(&'static str, &str, Action, &'static str, Scope)> = vec![
        ("overview", "1", A::SelectTab(Tab::Overview), "Overview tab", ALL),
        ("sharpness", "2", A::SelectTab(Tab::Sharpness), "Sharpness tab", ALL),
        ("drift", "3", A::SelectTab(Tab::Drift), "Drift tab", ALL),
        ("experiments", "4", A::SelectTab(Tab::Experiments), "Experiments tab", ALL),
        ("gap", "5", A::SelectTab(Tab::Gap), "Backtest gap tab", ALL),
        ("versus", "6", A::SelectTab(Tab::Versus), "Versus tab", ALL),
        ("splits", "7", A::SelectTab(Tab::Splits), "Splits tab", ALL),
        ("tonight", "8", A::SelectTab(Tab::Tonight), "Tonight tab (the slate)", ALL),
        ("next_tab", "Tab", A::NextTab, "next tab", ALL),
        ("previous_tab", "BackTab", A::PreviousTab, "previous tab", ALL),
        ("help", "?", A::ToggleHelp, "this help", ALL),
        ("quit", "q", A::Quit, "quit (also Ctrl-c)", ALL),
        ("refresh", "r", A::Refresh, "refresh now", ALL),
        ("pause", "p", A::TogglePause, "pause / resume live refresh", ALL),
        ("system", "s", A::OpenSystemPicker, "pick the system", ALL),
        ("previous_day", "[", A::MoveDate(-1), "previous day", ALL),
        ("next_day", "]", A::MoveDate(1), "next day", ALL),
        ("previous_week", "{", A::MoveDate(-7), "a week back", ALL),
        ("next_week", "}", A::MoveDate(7), "a week forward", ALL),
        ("today", "t", A::Today, "latest date with data", ALL),
        ("jump_to_date", ":", A::OpenCommandLine, "command line: a date or a command", ALL),
        ("palette", "Ctrl-p", A::OpenCommandLine, "command palette (: with a list)", ALL),
        ("back", "Backspace", A::GoBack, "back from the last jump", ALL),
        ("drill_down", "d", A::OpenDrillDown, "day by day per system", ALL),
        ("export", "e", A::Export, "export this tab as CSV", ALL),
        ("picture", "S", A::SavePicture, "save this screen as an SVG picture", ALL),
        ("theme", "T", A::NextTheme, "next theme", ALL),
        ("up", "Up", A::Up, "move up (also k)", Tabs(LISTS)),
        ("down", "Down", A::Down, "move down (also j)", Tabs(LISTS)),
        ("page_up", "PageUp", A::PageUp, "a page up", Tabs(LISTS)),
        ("page_down", "PageDown", A::PageDown, "a page down", Tabs(LISTS)),
        ("cursor_left", "Left", A::CursorMove(-1), "chart cursor a day back", Tabs(CHARTS)),
        ("cursor_right", "Right", A::CursorMove(1), "chart cursor a day on", Tabs(CHARTS)),
        ("select_system", "Enter", A::Enter, "select the system under the cursor", Tabs(OVERVIEW)),
        ("verdict_down", "J", A::ScrollDetail(3), "scroll the verdict down", Tabs(OVERVIEW)),
        ("verdict_up", "K", A::ScrollDetail(-3), "scroll the verdict up", Tabs(OVERVIEW)),
        ("figures_down", ">", A::ScrollFigures(1), "scroll the key figures down", Tabs(OVERVIEW)),
        ("figures_up", "<", A::ScrollFigures(-1), "scroll the key figures up", Tabs(OVERVIEW)),
        ("search", "/", A::StartSearch, "search experiments", Tabs(EXPERIMENTS)),
        ("details", "Enter", A::Enter, "show / hide details", Tabs(EXPERIMENTS)),
        ("details_down", "J", A::ScrollDetail(3), "scroll the details down", Tabs(EXPERIMENTS)),
        ("details_up", "K", A::ScrollDetail(-3), "scroll the details up", Tabs(EXPERIMENTS)),
        ("mark", "Space", A::Mark, "mark for comparison", Tabs(EXPERIMENTS)),
        ("sort", "o", A::CycleSort, "sort by the next column", Tabs(EXPERIMENTS)),
        ("reverse", "O", A::ReverseSort, "reverse the sort", Tabs(EXPERIMENTS)),
        ("status_filter", "f", A::CycleStatusFilter, "filter by status", Tabs(EXPERIMENTS)),
        ("show_hidden", "a", A::ToggleHidden, "show failed / archived", Tabs(EXPERIMENTS)),
        ("compare", "c", A::Compare, "compare the marked", Tabs(EXPERIMENTS)),
        ("copy_id", "y", A::CopyId, "copy the experiment id", Tabs(EXPERIMENTS)),
        ("promote", "P", A::Promote, "promote (asks first)", Tabs(EXPERIMENTS)),
        ("archive", "A", A::Archive, "archive (type its name)", Tabs(EXPERIMENTS)),
        ("rollback", "R", A::Rollback, "roll back its system (type the system)", Tabs(EXPERIMENTS)),
        ("approve", "V", A::Approve, "approve what awaits approval (type its name)", Tabs(EXPERIMENTS)),
        ("gap_of_selected", "g", A::GapOfSelected, "its backtest gap", Tabs(EXPERIMENTS)),
        ("next_experiment", "x", A::CycleGapExperiment(1), "next experiment", Tabs(GAP)),
        ("previous_experiment", "X", A::CycleGapExperiment(-1), "previous one", Tabs(GAP)),
        ("goto_missing", "Enter", A::Enter, "Overview on that date", Tabs(GAP)),
        ("next_challenger", "x", A::CycleChallenger(1), "next challenger B", Tabs(VERSUS)),
        ("previous_challenger", "X", A::CycleChallenger(-1), "previous one", Tabs(VERSUS)),
        ("split_detail", "Enter", A::Enter, "the bucket's figures", Tabs(SPLITS)),
        ("search_done", "Enter", A::Enter, "keep the search", In(D::Search)),
        ("search_clear", "Esc", A::Back, "clear the search", In(D::Search)),
        ("search_erase", "Backspace", A::SearchBackspace, "erase", In(D::Search)),
        ("picker_up", "Up", A::Up, "move up (also k)", In(D::Picker)),
        ("picker_down", "Down", A::Down, "move down (also j)", In(D::Picker)),
        ("picker_choose", "Enter", A::Enter, "choose", In(D::Picker)),
        ("picker_close", "Esc", A::Back, "close", In(D::Picker)),
        ("compare_up", "Up", A::ScrollUp, "scroll up (also k)", In(D::Compare)),
        ("compare_down", "Down", A::ScrollDown, "scroll down (also j)", In(D::Compare)),
        ("compare_close", "Esc", A::Back, "close (also c, Enter)", In(D::Compare)),
        ("confirm", "y", A::Confirm, "promote", In(D::Promote)),
        ("force", "F", A::ConfirmForce, "then type force: forced", In(D::Promote)),
        ("cancel", "n", A::Back, "cancel (also Esc)", In(D::Promote)),
        ("force_done", "Enter", A::Enter, "promote if force was typed", In(D::TypeForce)),
        ("force_erase", "Backspace", A::SearchBackspace, "erase", In(D::TypeForce)),
        ("force_cancel", "Esc", A::Back, "cancel", In(D::TypeForce)),
        ("name_done", "Enter", A::Enter, "carry it out if the name was typed", In(D::TypeName)),
        ("name_erase", "Backspace", A::SearchBackspace, "erase", In(D::TypeName)),
        ("name_cancel", "Esc", A::Back, "cancel", In(D::TypeName)),
        ("date_go", "Enter", A::Enter, "run the highlighted line", In(D::CommandLine)),
        ("command_up", "Up", A::Up, "highlight the line above", In(D::CommandLine)),
        ("command_down", "Down", A::Down, "highlight the line below", In(D::CommandLine)),
        ("date_erase", "Backspace", A::SearchBackspace, "erase", In(D::CommandLine)),
        ("date_cancel", "Esc", A::Back, "cancel", In(D::CommandLine)),
        ("drill_up", "Up", A::ScrollUp, "scroll up (also k)", In(D::DrillDown)),
        ("drill_down_more", "Down", A::ScrollDown, "scroll down (also j)", In(D::DrillDown)),
        ("drill_close", "Esc", A::Back, "close (also d)", In(D::DrillDown)),
        ("help_up", "Up", A::ScrollUp, "scroll up (also k)", In(D::Help)),
        ("help_down", "Down", A::ScrollDown, "scroll down (also j)", In(D::Help)),
        ("help_page_up", "PageUp", A::PageUp, "a page up", In(D::Help)),
        ("help_page_down", "PageDown", A::PageDown, "a page down", In(D::Help)),
        ("help_close", "Esc", A::Back, "close (also ?)", In(D::Help)),
        ("help_toggle", "?", A::ToggleHelp, "close", In(D::Help)),
    ];
    rows.into_iter()
        .map(|(name, key, action, description, scope)| Binding {
            dangerous: matches!(
                action,
                A::Promote | A::Confirm | A::ConfirmForce | A::Archive | A::Rollback | A::Approve
            ),
            name,
            key: key.to_string(),
            action,
            description,
            scope,
        })
        .collect()
}
