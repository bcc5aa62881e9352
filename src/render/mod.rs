//! The render stage: Markdown to HTML for every page, then tera with the
//! embedded theme, into output files. Nothing here touches the file system:
//! each file goes to a [`Sink`] as soon as it is rendered, which keeps it in
//! memory (`check`, `serve`) or hands it to `output` to write (`build`).
//!
//! How data flows, in the order [`pipeline`] runs it:
//! 1. the theme is loaded and every `layout:` checked ([`layout_checks`]);
//! 2. each page's Markdown is rendered ([`crate::markdown`]), with warnings
//!    located by [`markdown_warnings`], then its shortcodes ([`embeds`]);
//! 3. [`jobs`] plans one `jobs::Job` per page to produce (with a cache,
//!    [`reuse`] skips the jobs that read nothing that changed, as
//!    [`crate::base::reads`] recorded when they last rendered);
//! 4. the shared values are built once: summaries ([`views`]), placements
//!    ([`placements`]), SEO ([`seo`]), social cards ([`cards`]);
//! 5. each job is rendered in parallel by the [`renderer`]: its [`context`],
//!    then tera, into an [`OutputFile`]; errors are reported once
//!    ([`dedupe`]);
//! 6. the site files follow ([`site_files`]): the sitemap ([`sitemap`]),
//!    robots.txt, the Atom feeds ([`feeds`], with [`links`] made absolute),
//!    hosting files ([`hosting`]) and the theme's assets.

pub mod cards;
pub mod changes;
pub mod clock;
pub mod context;
pub mod dedupe;
pub mod embeds;
pub mod feeds;
pub mod forms;
pub mod generated;
pub mod headers;
pub mod hosting;
pub mod in_memory;
pub mod jobs;
pub mod json_ld;
pub mod lang;
pub mod layout_checks;
pub mod links;
pub mod markdown_warnings;
pub mod offers;
pub mod outcomes;
pub mod paginate;
pub mod pipeline;
pub mod placements;
pub mod popups;
pub mod redirects;
pub mod rendered;
pub mod renderer;
pub mod reuse;
pub mod seo;
pub mod shortcode_catalog;
pub mod site_files;
pub mod site_xml;
pub mod sitemap;
pub mod taxonomies;
pub mod taxonomy_titles;
pub mod urls;
pub mod views;

pub use crate::base::output_file::OutputFile;
pub use clock::Clock;
pub use jobs::{has_blog, has_products, LangId, OfferId, PageId, TaxonomyId, TermId};
pub use pipeline::{render_site, render_site_into};
pub use rendered::{RenderOutput, Sink, RECENT_POSTS};
