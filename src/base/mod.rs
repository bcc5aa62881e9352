//! The leaf of the module graph: small types and functions every stage
//! shares, depending on no other module of lander (only on crates).
//!
//! - [`url`]: URLs written by marketers, checked safe ([`url::SafeUrl`]);
//! - [`slug`]: the URL segment of a page, tag or heading;
//! - [`date`]: dates of front matter and offers;
//! - [`key_lines`]: the line of each key of a YAML header, and the keys
//!   front matter knows;
//! - [`words`]: `1 page`, `2 pages`;
//! - [`escape`]: escaping for XML, HTML and JSON inside `<script>`;
//! - [`text`]: line and column of an offset, the name a typo meant;
//! - [`number`]: numbers and prices in the page's locale;
//! - [`cmark`]: the Markdown extensions every parser turns on;
//! - [`embedded`]: the default theme compiled into the binary;
//! - [`output_file`]: one file of the built site;
//! - [`invalid`]: a value lander's own checks refuse, with its fix;
//! - [`reads`]: what a job read, recorded as it reads it.

pub mod cmark;
pub mod date;
pub mod embedded;
pub mod escape;
pub mod invalid;
pub mod key_lines;
pub mod number;
pub mod output_file;
pub mod reads;
pub mod slug;
pub mod text;
pub mod url;
pub mod words;
