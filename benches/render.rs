//! Render time of the busiest tab (Drift: a sparkline per window and per
//! system) and of the others, at 200x60, with the test fixtures' data.

#[path = "../tests/common/mod.rs"]
mod common;

use courtside::tui::action::{Action, Tab};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

fn bench_render(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    for tab in Tab::ALL {
        let mut app = common::loaded_app();
        app.update(Action::SelectTab(tab));
        c.bench_function(&format!("render {} at 200x60", tab.title()), |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| courtside::tui::view::draw(frame, black_box(&app)))
                    .unwrap();
            })
        });
    }
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
