//! The site loaded, its images processed and rendered into memory, as the
//! commands that never write the output folder need it (`lander check`,
//! `funnel`, the funnel page of `lander serve`); `lander build` shares
//! [`load`].

use std::time::Duration;

use crate::base::date::Date;
use crate::config::options::BuildOptions;
use crate::config::Config;
use crate::content::Site;
use crate::content::{load_site, LoadOptions};
use crate::error::{Diagnostic, Diagnostics};
use crate::images;
use crate::render::{self, RenderOutput};

/// The site as loaded and rendered in memory, before writing.
pub struct InMemory {
    pub site: Site,
    pub rendered: RenderOutput,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Config → load → images: the validated site with its images processed,
/// and the time it took.
pub fn load(
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
