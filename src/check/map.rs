//! The funnel map of a site as build options make it, rendered in memory:
//! what `lander funnel` prints and `lander serve` shows at `/__lander/funnel`.

use crate::check::{self, CheckInput};
use crate::config::options::{resolve_config, BuildOptions};
use crate::error::Diagnostics;
use crate::funnel::Funnel;
use crate::render::in_memory::{load_and_render, InMemory};

/// The funnel of the site as `opts` builds it.
pub fn funnel(opts: &BuildOptions) -> Result<Funnel, Diagnostics> {
    let config = resolve_config(&opts.root, opts)?;
    let InMemory { site, rendered, .. } = load_and_render(opts, config)?;
    Ok(check::funnel(&CheckInput {
        root: &opts.root,
        site: &site,
        files: &rendered.files,
        cards: &rendered.cards,
        warnings: &rendered.warnings,
    }))
}
