//! `lander serve`'s render: only what changed since the last one, through
//! the same pipeline as a full render, with the `incremental` cache
//! choosing the jobs.

use super::incremental::{Cache, Changes};
use super::pipeline;
use super::rendered::Sink;
use crate::content::Site;
use crate::error::Diagnostics;

/// Renders what changed since the last call with the same `cache`.
pub fn render_changes(site: &Site, cache: &mut Cache, sink: Sink) -> Result<Changes, Diagnostics> {
    match pipeline::render(site, Some(cache), sink) {
        Ok(out) => Ok(cache.commit(out)),
        Err(e) => {
            cache.abort();
            Err(e)
        }
    }
}
