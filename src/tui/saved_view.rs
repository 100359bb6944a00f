//! Remembered views: the tab, selected system, theme and the Experiments
//! leaderboard's sort and filter, saved per user when the dashboard quits
//! (`view.json` in the XDG state directory, `COURTSIDE_STATE_DIR`
//! overrides it) and restored at the next start; `--fresh` ignores them.
//! The date is not kept: the dashboard opens on the latest data.

use super::action::Tab;
use super::app::App;
use crate::model::experiment::Status;
use crate::registry::leaderboard::SortKey;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What is remembered; every field optional, so an older file still reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub tab: Option<String>,
    pub system: Option<String>,
    pub theme: Option<String>,
    pub sort: Option<String>,
    pub descending: Option<bool>,
    pub status_filter: Option<String>,
    pub show_hidden: Option<bool>,
    pub search: Option<String>,
}

/// Where the view is kept.
pub fn view_path() -> Option<PathBuf> {
    crate::config::state_dir().map(|dir| dir.join("view.json"))
}

impl SavedView {
    /// The view of `app` as it is now.
    pub fn of(app: &App) -> SavedView {
        let board = &app.experiments.board;
        SavedView {
            tab: Some(format!("{:?}", app.tab).to_lowercase()),
            system: Some(app.selection.system.clone()),
            theme: Some(app.theme().name.clone()),
            sort: Some(board.sort.label().to_string()),
            descending: Some(board.descending),
            status_filter: board.filter.status.map(|s| s.as_str().to_string()),
            show_hidden: Some(board.filter.show_hidden),
            search: Some(board.filter.search.clone()).filter(|s| !s.is_empty()),
        }
    }

    /// Reads the file; `Ok(None)` when there is none yet; an error names the
    /// file and what does not read (the dashboard then starts fresh).
    pub fn load(path: &Path) -> Result<Option<SavedView>, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(format!("{}: {error}", path.display())),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| format!("{}: line {}: {error}", path.display(), error.line()))
    }

    /// Writes the file whole or not at all (a temporary file renamed).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temporary = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, path)
    }

    /// Applies what still makes sense: a system the source still has, a
    /// theme that still exists, a known tab, sort and status; the rest is
    /// left as the app started. Returns what was not applied, for the log.
    pub fn apply(&self, app: &mut App) -> Vec<String> {
        let mut skipped = Vec::new();
        if let Some(name) = &self.tab {
            match Tab::ALL
                .iter()
                .find(|tab| format!("{tab:?}").to_lowercase() == *name)
            {
                Some(tab) => app.tab = *tab,
                None => skipped.push(format!("tab `{name}`")),
            }
        }
        if let Some(system) = &self.system {
            if app.systems.contains(system) {
                app.selection.system = system.clone();
            } else {
                skipped.push(format!("system `{system}` (not in the source)"));
            }
        }
        if let Some(theme) = &self.theme {
            match app.themes.iter().position(|t| t.name == *theme) {
                Some(index) => app.theme_index = index,
                None => skipped.push(format!("theme `{theme}`")),
            }
        }
        let board = &mut app.experiments.board;
        if let Some(sort) = &self.sort {
            match SortKey::ALL.iter().find(|key| key.label() == sort) {
                Some(key) => board.sort = *key,
                None => skipped.push(format!("sort `{sort}`")),
            }
        }
        if let Some(descending) = self.descending {
            board.descending = descending;
        }
        if let Some(status) = &self.status_filter {
            match Status::ALL.iter().find(|s| s.as_str() == status) {
                Some(found) => board.filter.status = Some(*found),
                None => skipped.push(format!("status filter `{status}`")),
            }
        }
        if let Some(show_hidden) = self.show_hidden {
            board.filter.show_hidden = show_hidden;
        }
        if let Some(search) = &self.search {
            board.filter.search = search.clone();
        }
        skipped
    }
}
