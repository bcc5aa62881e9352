//! `lander build`: config → load → render → output.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::base::date::Date;
use crate::base::url::SafeUrl;
use crate::cards::{self, CardJob, CardSource, CardStats};
use crate::config::Config;
use crate::content::Site;
use crate::content::{load_site, LoadOptions};
use crate::error::{Diagnostic, Diagnostics};
use crate::render::{OutputFile, RenderOutput};
use crate::{images, output, render};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Overrides every form's endpoint (staging vs production).
    pub form_endpoint: Option<String>,
    /// Build as of this moment (YYYY-MM-DD or RFC 3339) instead of now.
    pub now: Option<String>,
    /// Also write each generated social card's SVG (`--cards-svg`).
    pub cards_svg: bool,
}

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

/// Reads the config and applies command-line overrides.
pub fn resolve_config(root: &Path, opts: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(root)?;
    if let Some(endpoint) = &opts.form_endpoint {
        let url = SafeUrl::parse(endpoint)
            .ok()
            .filter(|u| u.is_absolute() || u.0.starts_with('/'))
            .ok_or_else(|| {
                Diagnostic::error(format!(
                    "--form-endpoint must be an http(s) URL or a path on the site, not `{endpoint}`"
                ))
                .with_help("e.g. --form-endpoint https://forms.example.com/leads")
            })?;
        config.forms.endpoint_override = Some(url);
    }
    let base_url = opts.base_url.as_deref();
    if let Some(url) = base_url {
        let url = url.trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Diagnostic::error(format!(
                "--base-url must be an absolute http(s) URL, not `{url}`"
            ))
            .with_help("e.g. --base-url https://www.example.com")
            .into());
        }
        config.base_url = url.to_string();
    }
    Ok(config)
}

/// The site as loaded and rendered in memory, before writing.
pub struct InMemory {
    pub site: Site,
    pub rendered: RenderOutput,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Config → load → images: the validated site with its images processed,
/// and the time it took.
fn load(
    opts: &BuildOptions,
    config: Config,
) -> Result<(Site, images::Stats, render::Clock), Diagnostics> {
    let now = match &opts.now {
        Some(text) => Date::parse(text).map_err(|e| Diagnostic::error(format!("--now: {e}")))?,
        None => Date::now(),
    };
    let mut clock = render::Clock::start();
    let mut site = load_site(
        config,
        &LoadOptions {
            root: &opts.root,
            drafts: opts.drafts,
            future: opts.drafts,
            now,
        },
    )?;
    clock.lap("load");
    let stats = images::publish(&mut site, &opts.root)?;
    clock.lap("images");
    Ok((site, stats, clock))
}

/// Config → load → render into memory: what `check` needs.
pub fn load_and_render(opts: &BuildOptions, config: Config) -> Result<InMemory, Diagnostics> {
    let (site, _, clock) = load(opts, config)?;
    let rendered = render::render_site(&site)?;
    let mut timings = clock.laps;
    timings.extend(rendered.timings.iter().copied());
    Ok(InMemory {
        site,
        rendered,
        timings,
    })
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
