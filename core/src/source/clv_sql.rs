//! The one query behind closing line value (metrics.md section 18), in the
//! dialect both sources share: each graded bet of a system in a window with
//! every book's closing snapshot of its player and date (the last with
//! `minutes_before_tipoff` in [0, 45]); the close per bet (its own book's,
//! else the median over books) is chosen in [`crate::diagnostics::clv`].
//! Values arrive only as parameters; both tables are read by `game_date`.

use super::pushdown::{
    Cells, GRADED_BET_ROW, SqlValue, Statement, Tables, bet_condition, system_rows,
};
use crate::model::clv::{BookClose, ClvBetRow};
use chrono::NaiveDate;

/// What the CLV view asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvQuery {
    pub system: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub edge_threshold: f64,
}

/// The statement: one row per bet and closing book (a bet without any
/// closing snapshot comes once, `has_close` 0).
pub fn closes(tables: &Tables, query: &ClvQuery) -> Statement {
    let sql = format!(
        "WITH system_rows AS (
  {rows}
),
bets AS (
  SELECT game_date, player_lookup, game_id, recommendation,
         CAST(line_value AS FLOAT64) AS line,
         ABS(CAST(predicted_points AS FLOAT64) - CAST(line_value AS FLOAT64)) AS edge,
         LOWER(COALESCE(line_bookmaker, '')) AS book
  FROM system_rows
  WHERE {graded}
    AND {bet}
    AND predicted_points BETWEEN 0 AND 100
    AND actual_points BETWEEN 0 AND 100
    AND line_value BETWEEN 0 AND 80
),
snapshots AS (
  SELECT player_lookup, game_date, LOWER(bookmaker) AS close_book,
         CAST(points_line AS FLOAT64) AS close_line,
         CAST(over_price AS FLOAT64) AS over_price,
         CAST(under_price AS FLOAT64) AS under_price,
         ROW_NUMBER() OVER (PARTITION BY player_lookup, game_date, LOWER(bookmaker)
                            ORDER BY snapshot_timestamp DESC) AS latest
  FROM {snapshots}
  WHERE game_date BETWEEN @from AND @to
    AND minutes_before_tipoff BETWEEN 0 AND 45
    AND points_line IS NOT NULL
),
closing AS (SELECT * FROM snapshots WHERE latest = 1)
SELECT bets.game_date AS game_date, bets.player_lookup AS player_lookup,
       bets.game_id AS game_id, bets.recommendation AS recommendation,
       bets.line AS line, bets.edge AS edge, bets.book AS book,
       CASE WHEN closing.close_line IS NULL THEN 0 ELSE 1 END AS has_close,
       COALESCE(closing.close_book, '') AS close_book,
       COALESCE(closing.close_line, 0.0) AS close_line,
       COALESCE(closing.over_price, 0.0) AS over_price,
       COALESCE(closing.under_price, 0.0) AS under_price
FROM bets
LEFT JOIN closing
  ON closing.player_lookup = bets.player_lookup AND closing.game_date = bets.game_date
ORDER BY bets.game_date, bets.player_lookup, bets.game_id, close_book",
        rows = system_rows(&tables.prediction_accuracy, "system", ", line_bookmaker"),
        graded = GRADED_BET_ROW,
        bet = bet_condition(),
        snapshots = tables.line_snapshots,
    );
    let params = vec![
        ("system".to_string(), SqlValue::Text(query.system.clone())),
        ("from".to_string(), SqlValue::Date(query.from)),
        ("to".to_string(), SqlValue::Date(query.to)),
        ("edge".to_string(), SqlValue::Float(query.edge_threshold)),
    ];
    Statement { sql, params }
}

/// One row of the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvAnswerRow {
    pub bet: ClvBetRow,
    pub close: Option<BookClose>,
}

/// Reads one row of [`closes`]' answer.
pub fn answer_row(cells: &dyn Cells) -> anyhow::Result<ClvAnswerRow> {
    let game_date_text = cells.text("game_date")?;
    let game_date = crate::source::canonical::parse_date(&game_date_text)
        .ok_or_else(|| anyhow::anyhow!("clv query: game_date `{game_date_text}`"))?;
    let price = |column: &str| -> anyhow::Result<Option<f64>> {
        Ok(Some(cells.float(column)?).filter(|p| *p > 1.0))
    };
    let close = if cells.count("has_close")? == 1 {
        Some(BookClose {
            book: cells.text("close_book")?,
            line: cells.float("close_line")?,
            over_price: price("over_price")?,
            under_price: price("under_price")?,
        })
    } else {
        None
    };
    Ok(ClvAnswerRow {
        bet: ClvBetRow {
            game_date,
            player_lookup: cells.text("player_lookup")?,
            game_id: cells.text("game_id")?,
            over: cells.text("recommendation")? == "OVER",
            line: cells.float("line")?,
            edge: cells.float("edge")?,
            book: cells.text("book")?,
            closes: Vec::new(),
        },
        close,
    })
}

/// The answer's rows gathered per bet (they come ordered by bet).
pub fn gather(rows: Vec<ClvAnswerRow>) -> Vec<ClvBetRow> {
    let mut bets: Vec<ClvBetRow> = Vec::new();
    for row in rows {
        let same = bets.last().is_some_and(|bet| {
            bet.game_date == row.bet.game_date
                && bet.player_lookup == row.bet.player_lookup
                && bet.game_id == row.bet.game_id
        });
        if !same {
            bets.push(row.bet);
        }
        if let (Some(close), Some(bet)) = (row.close, bets.last_mut()) {
            bet.closes.push(close);
        }
    }
    bets
}
