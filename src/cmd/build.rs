//! `lander build`: config → load → render → output.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cards::{self, CardJob, CardSource, CardStats};
pub use crate::config::options::{resolve_config, BuildOptions};
use crate::error::{Diagnostic, Diagnostics};
use crate::render::in_memory::load;
pub use crate::render::in_memory::{load_and_render, InMemory};
use crate::render::OutputFile;
use crate::{output, render};

#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Diagnostics,
    /// Wall time per phase: load, markdown, templates (which includes
    /// writing each page), site files, copy and swap.
    pub timings: Vec<(&'static str, Duration)>,
    /// Write time summed over the threads that did it.
    pub thread_times: Vec<(&'static str, Duration)>,
    /// What the images stage did (how many it had to encode).
    pub images: crate::images::Stats,
    /// Social cards drawn, and taken from the site's `.lander/cards/`.
    pub cards: CardStats,
}

/// Builds the site: pages are written into a temporary folder
/// while others render, and the folder replaces the output only at the end.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let start = Instant::now();
    let config = resolve_config(&opts.root, opts)?;
    let out = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join(&config.output_dir));
    output::check_output_dir(&opts.root, &out)?;
    let (site, images, clock) = load(opts, config)?;
    let mut timings = clock.laps;
    let writer = output::Writer::begin(&out, &site.statics)?;
    let rendered = render::render_site_into(&site, &|f| writer.accept(f).map(|()| None))?;
    timings.extend(rendered.timings.iter().copied());
    let mut clock = render::Clock::start();
    let cards = make_cards(opts, &rendered.cards, &|f| writer.accept(f))?;
    clock.lap("cards");
    let threads = writer.thread_times();
    let report = writer.finish()?;
    clock.lap("copy, swap");
    timings.extend(clock.laps);
    let mut warnings = site.warnings;
    warnings.extend(rendered.warnings);
    Ok(BuildSummary {
        pages: report.pages,
        files: report.files,
        elapsed: start.elapsed(),
        output: out,
        warnings,
        timings,
        thread_times: threads.to_vec(),
        images,
        cards,
    })
}

/// The pixels of the social cards the pages name, from the site's cache
/// when it has them; with `--cards-svg`, each generated card's SVG too.
fn make_cards(
    opts: &BuildOptions,
    jobs: &[CardJob],
    sink: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<CardStats, Diagnostics> {
    if opts.cards_svg {
        for job in jobs {
            if let CardSource::Svg(svg) = &job.source {
                sink(OutputFile {
                    path: job.file.replace(".png", ".svg"),
                    bytes: svg.clone().into_bytes(),
                    source: None,
                })?;
            }
        }
    }
    cards::produce(jobs, Some(&opts.root.join(cards::CACHE_DIR)), sink).map_err(Diagnostics)
}

/// The process's peak resident memory, where the system tells it (Linux).
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
