//! Each player's scoring history for the player tier of a graded row
//! (metrics.md section 1): the games with enough minutes in the lookback
//! days before the game, never the day itself, as a per-player prefix sum.

use super::fnv::FnvMap;
use crate::model::PlayerTier;
use crate::source::DayStatsQuery;

/// Each player's scoring history, by `player_lookup`.
pub type PlayerScoring = FnvMap<Vec<u8>, Scoring>;

/// One player's qualifying games: day numbers and a running sum of points.
pub struct Scoring {
    days: Vec<i32>,
    /// `sums[i]` = points of the first `i` games.
    sums: Vec<f64>,
}

impl Scoring {
    pub fn new(mut games: Vec<(i32, f64)>) -> Scoring {
        games.sort_by_key(|(day, _)| *day);
        let mut sums = Vec::with_capacity(games.len() + 1);
        let mut total = 0.0;
        sums.push(total);
        for (_, points) in &games {
            total += points;
            sums.push(total);
        }
        Scoring {
            days: games.into_iter().map(|(day, _)| day).collect(),
            sums,
        }
    }

    /// Mean points over the games on days `[day - lookback, day - 1]`.
    pub fn prior_mean(&self, day: i32, lookback: i32) -> Option<f64> {
        let lo = self.days.partition_point(|&d| d < day - lookback);
        let hi = self.days.partition_point(|&d| d < day);
        (hi > lo).then(|| (self.sums[hi] - self.sums[lo]) / (hi - lo) as f64)
    }
}

/// The tier of a player whose prior mean is `prior_mean` (none: `unknown`).
pub fn player_tier(prior_mean: Option<f64>, query: &DayStatsQuery) -> PlayerTier {
    match prior_mean {
        None => PlayerTier::Unknown,
        Some(mean) if mean >= query.star_min => PlayerTier::Star,
        Some(mean) if mean >= query.starter_min => PlayerTier::Starter,
        Some(mean) if mean >= query.rotation_min => PlayerTier::Rotation,
        Some(_) => PlayerTier::Bench,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_mean_covers_the_lookback_days_before_the_game_only() {
        let history = Scoring::new(vec![(190, 40.0), (100, 10.0), (110, 20.0), (189, 30.0)]);
        // Day 200 with a 90-day lookback: days 110..=199.
        assert_eq!(
            history.prior_mean(200, 90),
            Some((20.0 + 30.0 + 40.0) / 3.0)
        );
        // The game day itself never counts.
        assert_eq!(
            history.prior_mean(190, 90),
            Some((10.0 + 20.0 + 30.0) / 3.0)
        );
        assert_eq!(history.prior_mean(100, 90), None);
        assert_eq!(history.prior_mean(400, 90), None);
    }
}
