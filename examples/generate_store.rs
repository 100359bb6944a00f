//! Writes a generated store for the scale benchmarks and scripts:
//!
//!     cargo run --release --example generate_store -- PATH ROWS [random|date]
//!
//! ROWS prediction rows over 365 days for four systems, in random physical
//! order (the default) or date order; deterministic.

#[path = "../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(rows)) = (args.first(), args.get(1).and_then(|r| r.parse().ok())) else {
        eprintln!("usage: generate_store PATH ROWS [random|date]");
        std::process::exit(2);
    };
    let random = args.get(2).is_none_or(|order| order != "date");
    let started = std::time::Instant::now();
    generate::generate(std::path::Path::new(path), rows, random);
    eprintln!(
        "generated {path}: about {rows} prediction rows, {} order, {:.1} s",
        if random { "random" } else { "date" },
        started.elapsed().as_secs_f64()
    );
}
