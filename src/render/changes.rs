//! `lander serve`'s render: only what changed since the last one, through
//! the same pipeline as a full render, with the `reuse` cache
//! skipping the jobs that read nothing that changed.

use super::pipeline;
use super::rendered::Sink;
use super::reuse::{Cache, Changes};
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
