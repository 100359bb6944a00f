//! The dashboard follows the night: every dashboard fetch reads the latest
//! date with data. A selection that follows it (the user chose no date)
//! moves there, fetches it and says so; a chosen date stays, and the header
//! tells of the newer data until `t` goes there and follows again.

use super::{App, MOVED_NOTE_SECS};
use crate::tui::action::{Effect, Selection};
use chrono::{DateTime, NaiveDate, Utc};

impl App {
    /// A dashboard fetch that ended at `at` read `latest`: a following
    /// selection not on it moves there (and fetches it); a chosen one stays.
    pub(super) fn latest_read(&mut self, latest: NaiveDate, at: DateTime<Utc>) -> Vec<Effect> {
        self.latest_date = Some(latest);
        let from = self.selection.date;
        if !self.follows_latest || from == latest {
            return Vec::new();
        }
        let why = if latest > from {
            "new data".to_string()
        } else {
            format!("latest of {}", self.selection.system)
        };
        self.followed = Some((format!("→ moved to {} ({why})", latest.format("%m-%d")), at));
        self.select(Selection {
            date: latest,
            system: self.selection.system.clone(),
        })
    }

    /// `t`: the latest date, and the selection follows it again.
    pub(super) fn follow_latest(&mut self) -> Vec<Effect> {
        self.follows_latest = true;
        self.followed = None;
        let latest = self.latest_date.unwrap_or_else(|| self.now.date_naive());
        self.select(Selection {
            date: latest,
            system: self.selection.system.clone(),
        })
    }

    /// A date the user chose (a day or week key, a typed date, a date a tab
    /// opens): the selection stays there whatever newer data arrives.
    pub(super) fn choose_date(&mut self, date: NaiveDate) -> Vec<Effect> {
        self.follows_latest = false;
        self.followed = None;
        self.select(Selection {
            date,
            system: self.selection.system.clone(),
        })
    }

    /// What the header says about the latest date, if anything: that the
    /// selection just moved to it by itself, or that a chosen date has
    /// newer data (`newer data: 04-13 (t)`).
    pub fn latest_note(&self) -> Option<String> {
        if self.follows_latest {
            let (note, at) = self.followed.as_ref()?;
            let recent = (self.now - *at).num_seconds() < MOVED_NOTE_SECS;
            return recent.then(|| note.clone());
        }
        let latest = self.latest_date?;
        match latest.cmp(&self.selection.date) {
            std::cmp::Ordering::Greater => {
                Some(format!("newer data: {} (t)", latest.format("%m-%d")))
            }
            // A date past the data: say where the data ends.
            std::cmp::Ordering::Less => Some(format!("data ends {} (t)", latest.format("%m-%d"))),
            std::cmp::Ordering::Equal => None,
        }
    }

    /// The furthest date a jump goes: the later of the latest date with
    /// data and tomorrow (a game day's coverage is worth a look before its
    /// grading).
    pub fn latest_jump(&self) -> chrono::NaiveDate {
        let tomorrow = self.now.date_naive() + chrono::Days::new(1);
        self.latest_date
            .map_or(tomorrow, |latest| latest.max(tomorrow))
    }
}
