//! The content stage: reading the site folder into a validated [`Site`].
//!
//! `front_matter` splits and types a Markdown file's header, `page` and
//! `offer` hold the parsed files, `load` discovers and reads them (in
//! parallel), and `site` assembles the checked model later stages consume.

pub mod bar;
pub mod campaign;
pub mod data;
pub mod files;
pub mod form;
pub mod front_matter;
pub mod images;
pub mod languages;
pub mod load;
pub mod offer;
pub mod offer_parts;
pub mod offer_text;
pub mod outcome;
pub mod page;
pub mod redirects;
pub mod schedule;
pub mod site;
pub mod taxonomies;
pub mod templates;

pub use load::{load_site, LoadOptions};
pub use offer::Offer;
pub use page::{Page, PageKind};
pub use site::Site;
pub use taxonomies::{Taxonomy, Term};
