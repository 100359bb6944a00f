//! Tab 5: the backtest-vs-production gap. The analysis is not built yet, so
//! the tab says so and shows no numbers.

use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = app.theme();
    let text = "Backtest vs production gap: not yet available in this version.\n\n\
                The analysis (population, missing dates, line mix, hit rates with intervals, \
                a decomposition that sums to the gap, McNemar on paired bets) is not built yet; \
                until it is, this tab shows no numbers rather than placeholders.";
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.muted)
            .wrap(Wrap { trim: true })
            .block(
                Block::bordered()
                    .title(" backtest gap ")
                    .border_style(theme.muted),
            ),
        area,
    );
}
