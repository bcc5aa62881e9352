//! What a render hands on, shared by the full render (`pipeline`) and the
//! incremental one (`incremental`): the files kept in memory with the
//! warnings, and the sink that takes each file as soon as it is rendered.

use crate::base::output_file::OutputFile;
use crate::error::{Diagnostic, Diagnostics};

/// How many of the newest posts every template gets as `recent_posts`.
pub const RECENT_POSTS: usize = 10;

/// The built site in memory, and what deserves a warning.
pub struct RenderOutput {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    /// Time spent in each phase, in order (for `lander build --timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The social cards the pages name, to be made by [`crate::cards`].
    pub cards: Vec<crate::cards::CardJob>,
}

/// Receives each file as soon as it is rendered, from any thread, and
/// returns it to be kept in [`RenderOutput::files`], or `None` once it has
/// taken care of it. `lander build` writes pages while others
/// render, so a large site is never held in memory whole.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<Option<OutputFile>, Diagnostic> + Sync);
