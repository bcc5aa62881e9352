//! The smaller sections of site.yaml, each with its defaults: `markdown:`,
//! `seo:` (and its `organization:`), `popups:` and `check:`.

use serde::{Deserialize, Serialize};

use super::default_true;

/// Markdown settings.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Code blocks with a language are highlighted at build time.
    #[serde(default = "default_true")]
    pub highlight: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig { highlight: true }
    }
}

/// Search and social settings.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeoConfig {
    /// `<title>` of every page but the home page: `{title}` and `{site}` are replaced.
    #[serde(default = "default_title_pattern")]
    pub title_pattern: String,
    /// Default Open Graph image for pages without an image.
    pub image: Option<String>,
    /// Twitter/X handle, e.g. "@olivaco".
    pub twitter: Option<String>,
    /// Every indexable page shares a 1200x630 card (its own photo cropped,
    /// else one drawn from `templates/card.svg`); `false` keeps `image`.
    #[serde(default = "default_true")]
    pub cards: bool,
    /// The organisation behind the site (JSON-LD Organization on the home page).
    #[serde(default)]
    pub organization: Option<Organization>,
    /// Links to these domains are affiliate links: rel="sponsored noopener".
    #[serde(default)]
    pub affiliate_domains: Vec<String>,
    /// Line shown on pages with affiliate links.
    #[serde(default = "default_disclosure")]
    pub affiliate_disclosure: String,
}

impl Default for SeoConfig {
    fn default() -> Self {
        SeoConfig {
            title_pattern: default_title_pattern(),
            image: None,
            twitter: None,
            cards: true,
            organization: None,
            affiliate_domains: Vec::new(),
            affiliate_disclosure: default_disclosure(),
        }
    }
}

fn default_title_pattern() -> String {
    "{title} | {site}".into()
}
fn default_disclosure() -> String {
    "This page contains affiliate links: we may earn a commission if you buy through them, at no cost to you.".into()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    pub logo: Option<String>,
    #[serde(default)]
    pub same_as: Vec<String>,
}

/// `popups:` in site.yaml: the cap across every offer of the site.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PopupsConfig {
    /// Popups shown on their own (by a trigger) per visit, across offers;
    /// one per page view at most. A `cta` with `open: popup` is not capped.
    #[serde(default = "default_per_session")]
    pub per_session: u32,
}

impl Default for PopupsConfig {
    fn default() -> Self {
        PopupsConfig {
            per_session: default_per_session(),
        }
    }
}

fn default_per_session() -> u32 {
    1
}

/// `lander check` settings.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Rule ids turned off for the whole site.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Pages with fewer words are "thin" (a warning).
    #[serde(default = "default_thin_words")]
    pub thin_words: usize,
    /// Images heavier than this many KiB get a warning.
    #[serde(default = "default_image_kib")]
    pub max_image_kib: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            disable: Vec::new(),
            thin_words: default_thin_words(),
            max_image_kib: default_image_kib(),
        }
    }
}

fn default_thin_words() -> usize {
    300
}
fn default_image_kib() -> u64 {
    200
}
