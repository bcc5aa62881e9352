//! The pulldown-cmark extensions every parser of a page's Markdown turns on
//! (rendering, shortcode scanning, image planning, checks), so that they all
//! see the same events.

use pulldown_cmark::Options;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}
