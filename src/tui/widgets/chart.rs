//! The chart builder: series told apart by mark as well as colour (a solid
//! line, dots, blocks), sparse guides drawn first so the data shows over
//! them, and the points of a day series.

use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::widgets::{Dataset, GraphType};

/// `(x, y)` points of a chart.
pub type Points = Vec<(f64, f64)>;

/// A solid line (braille).
pub fn line<'a>(name: &'a str, points: &'a [(f64, f64)], style: Style) -> Dataset<'a> {
    dataset(name, points, style, Marker::Braille, GraphType::Line)
}

/// Dots, one per point.
pub fn dots<'a>(name: &'a str, points: &'a [(f64, f64)], style: Style) -> Dataset<'a> {
    dataset(name, points, style, Marker::Dot, GraphType::Scatter)
}

/// Solid blocks, for marks that must stand out (alarms).
pub fn blocks<'a>(name: &'a str, points: &'a [(f64, f64)], style: Style) -> Dataset<'a> {
    dataset(name, points, style, Marker::Block, GraphType::Scatter)
}

/// A faint guide: sparse braille dots (see [`guide_points`]).
pub fn guide<'a>(points: &'a [(f64, f64)], style: Style) -> Dataset<'a> {
    dataset("", points, style, Marker::Braille, GraphType::Scatter)
}

fn dataset<'a>(
    name: &'a str,
    points: &'a [(f64, f64)],
    style: Style,
    marker: Marker,
    graph_type: GraphType,
) -> Dataset<'a> {
    let dataset = Dataset::default()
        .marker(marker)
        .graph_type(graph_type)
        .style(style)
        .data(points);
    if name.is_empty() {
        dataset
    } else {
        dataset.name(name)
    }
}

/// A horizontal guide at `y` over `0..=width`, a point every third day: a
/// dotted row, not a solid one that would hide the data.
pub fn guide_points(width: f64, y: f64) -> Points {
    (0..=width.max(0.0) as usize)
        .step_by(3)
        .map(|x| (x as f64, y))
        .collect()
}

/// The points of a day series: x is the day's index, days without a value
/// are left out (a gap, never a zero).
pub fn series_points<T>(series: &[T], value: impl Fn(&T) -> Option<f64>) -> Points {
    series
        .iter()
        .enumerate()
        .filter_map(|(x, item)| value(item).map(|y| (x as f64, y)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guides_are_sparse_and_series_keep_their_gaps() {
        assert_eq!(
            guide_points(7.0, 50.0),
            vec![(0.0, 50.0), (3.0, 50.0), (6.0, 50.0)]
        );
        let days = [Some(1.0), None, Some(3.0)];
        assert_eq!(series_points(&days, |d| *d), vec![(0.0, 1.0), (2.0, 3.0)]);
    }
}
