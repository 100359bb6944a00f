//! The value cursor of the chart tabs (Overview, Sharpness, Drift): `←`/`→`
//! move it along the days of the trend, `Esc` takes it away. It counts days
//! back from the selected date, so it stays on "three days ago" as the date
//! moves.

use super::Outcome;
use crate::tui::action::Action;
use chrono::NaiveDate;

/// The cursor keys over a trend of `days` days.
pub fn update(cursor: &mut Option<usize>, action: &Action, days: usize) -> Outcome {
    let Action::CursorMove(step) = action else {
        return Outcome::Ignored;
    };
    if days > 0 {
        // → is one day fewer back.
        let back = cursor.unwrap_or(0) as i64 - step;
        *cursor = Some(back.clamp(0, days as i64 - 1) as usize);
    }
    Outcome::Done
}

/// The index in `series` and the day the cursor stands on.
pub fn position<T>(cursor: Option<usize>, series: &[(NaiveDate, T)]) -> Option<(usize, NaiveDate)> {
    let index = series.len().checked_sub(1 + cursor?)?;
    Some((index, series[index].0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_moves_within_the_trend_and_counts_back_from_the_date() {
        let mut cursor = None;
        update(&mut cursor, &Action::CursorMove(-1), 60);
        assert_eq!(cursor, Some(1));
        update(&mut cursor, &Action::CursorMove(5), 60);
        assert_eq!(cursor, Some(0), "never past the selected date");
        for _ in 0..100 {
            update(&mut cursor, &Action::CursorMove(-1), 60);
        }
        assert_eq!(cursor, Some(59), "never before the trend");
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 4, d).unwrap();
        let series = [(day(10), ()), (day(11), ()), (day(12), ())];
        assert_eq!(position(Some(1), &series), Some((1, day(11))));
        assert_eq!(position(Some(3), &series), None);
        assert_eq!(position(None, &series), None);
    }
}
