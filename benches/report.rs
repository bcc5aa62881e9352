//! `lander report` on 1,000,000-row inputs: a views CSV (as many daily rows
//! of GA4 as a large site gathers) and a leads CSV (a mailing tool's export
//! with one contact per row). Runs the release binary several times and
//! prints the median wall time of each; the bar is 2 s.
//!
//! `cargo bench --bench report` (builds in release).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const ROWS: usize = 1_000_000;
const RUNS: usize = 5;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offers = [
        "welcome-popup",
        "spring-sale",
        "flash-sale",
        "tasting-guide",
    ];
    let variants = ["percent", "amount", "free-shipping"];

    // Cheap, deterministic pseudo-random counts (xorshift).
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut views = String::with_capacity(ROWS * 32);
    views.push_str("offer,variant,views\n");
    for i in 0..ROWS {
        let o = offers[i % offers.len()];
        let v = variants[(i / offers.len()) % variants.len()];
        let _ = writeln!(views, "{o},{v},{}", 1 + next() % 200);
    }
    let mut leads = String::with_capacity(ROWS * 64);
    leads.push_str("Email Address,First Name,offer,variant,Signup Date\n");
    for i in 0..ROWS {
        let o = offers[i % offers.len()];
        let v = variants[(next() % 3) as usize];
        let _ = writeln!(leads, "lead{i}@example.com,Jo,{o},{v},2026-11-30");
    }
    // A small counterpart to each, so that one run measures one big file.
    let small_views = "offer,variant,views\nwelcome-popup,percent,10\n";
    let small_leads = "offer,variant\nwelcome-popup,percent\n";
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).expect("write input");
    };
    write("views-1m.csv", &views);
    write("leads-1m.csv", &leads);
    write("views-small.csv", small_views);
    write("leads-small.csv", small_leads);
    println!(
        "inputs: views {:.1} MB, leads {:.1} MB ({ROWS} rows each)",
        views.len() as f64 / 1e6,
        leads.len() as f64 / 1e6
    );

    for (label, leads, views) in [
        ("views CSV, 1M rows", "leads-small.csv", "views-1m.csv"),
        ("leads CSV, 1M rows", "leads-1m.csv", "views-small.csv"),
    ] {
        let mut times: Vec<Duration> = (0..RUNS).map(|_| run(dir.path(), leads, views)).collect();
        times.sort();
        println!(
            "{label}: median {:.0} ms (min {:.0}, max {:.0}, {RUNS} runs)",
            ms(times[RUNS / 2]),
            ms(times[0]),
            ms(times[RUNS - 1])
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run(dir: &Path, leads: &str, views: &str) -> Duration {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_lander"))
        .args([
            "report", "--leads", leads, "--views", views, "--format", "json",
        ])
        .current_dir(dir)
        .output()
        .expect("run lander");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "lander report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}
