//! `consent:` and `analytics:` of site.yaml: the consent banner, the tags
//! it gates (GA4, Google Tag Manager, Plausible, the Meta pixel) and what
//! lander's own script may store before the visitor has chosen. Ids are
//! checked strictly, with the line they are written on: a wrong id would
//! only show as silence in the analytics tool.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Config;
use crate::error::{Diagnostic, Diagnostics};

/// `analytics:`: the events lander pushes and the tags it loads.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// Push events (cta_click, form_submit…) to `window.dataLayer`.
    #[serde(default)]
    pub data_layer: bool,
    /// A GA4 measurement id, `G-XXXXXXXXXX`.
    pub ga4: Option<String>,
    /// A Google Tag Manager container id, `GTM-XXXXXXX`.
    pub gtm: Option<String>,
    pub plausible: Option<PlausibleConfig>,
    /// A Meta (Facebook) pixel id: digits.
    pub meta_pixel: Option<String>,
}

/// Plausible Analytics: cookieless, so a site may load it without asking.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlausibleConfig {
    /// The site's domain as registered in Plausible, e.g. `oliva.example`.
    pub domain: String,
    /// The script, for a self-hosted Plausible or a proxy.
    #[serde(default = "default_plausible_src")]
    pub src: String,
    /// Wait for the analytics category (default); `false` loads it at once.
    #[serde(default = "yes")]
    pub consent: bool,
}

pub fn default_plausible_src() -> String {
    "https://plausible.io/js/script.js".into()
}

fn yes() -> bool {
    true
}

/// A category of the banner besides `necessary`, which is always on.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Analytics,
    Marketing,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Analytics => "analytics",
            Category::Marketing => "marketing",
        }
    }
}

/// What lander's script keeps in the browser, by purpose. Before consent
/// it keeps only those a site lists in `consent.necessary`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    /// The A/B variant a visitor was given (`lander:variant:*`, localStorage).
    AbTest,
    /// UTM values and referrer of the visit (`lander:utm`, `lander:referrer`, sessionStorage).
    Utm,
    /// When a popup was last shown and how many this visit (`lander:popup:*`, `lander:popups`).
    Popups,
    /// Dismissed announcement bars (`lander:bar:*`, localStorage).
    Bars,
}

impl Storage {
    /// The key prefixes of this purpose in the theme's scripts.
    pub fn prefixes(self) -> &'static [&'static str] {
        match self {
            Storage::AbTest => &["lander:variant:"],
            Storage::Utm => &["lander:utm", "lander:referrer"],
            Storage::Popups => &["lander:popup"],
            Storage::Bars => &["lander:bar:"],
        }
    }
}

/// `consent:`: a banner asks before any tag loads or anything is stored.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConsentConfig {
    /// The categories the banner offers (default: those the tags need,
    /// or `analytics` when there are none).
    #[serde(default)]
    pub categories: Vec<Category>,
    /// What lander's script may store before consent.
    #[serde(default)]
    pub necessary: Vec<Storage>,
    /// The privacy or cookie policy the banner links to.
    pub policy: Option<String>,
    /// Raise it to ask every visitor again (a stored choice of an older
    /// version is forgotten).
    #[serde(default = "one")]
    pub version: u32,
}

fn one() -> u32 {
    1
}

impl ConsentConfig {
    /// The categories the banner offers, resolved.
    pub fn categories(&self, analytics: &AnalyticsConfig) -> Vec<Category> {
        if !self.categories.is_empty() {
            let mut c = self.categories.clone();
            c.sort();
            c.dedup();
            return c;
        }
        let mut c = analytics.needs();
        if c.is_empty() {
            c.push(Category::Analytics);
        }
        c
    }
}

impl AnalyticsConfig {
    /// Whether any tag is configured.
    pub fn has_tags(&self) -> bool {
        self.ga4.is_some()
            || self.gtm.is_some()
            || self.plausible.is_some()
            || self.meta_pixel.is_some()
    }

    /// The categories the configured tags wait for.
    pub fn needs(&self) -> Vec<Category> {
        let mut c = Vec::new();
        let plausible = self.plausible.as_ref().is_some_and(|p| p.consent);
        if self.ga4.is_some() || self.gtm.is_some() || plausible {
            c.push(Category::Analytics);
        }
        if self.meta_pixel.is_some() {
            c.push(Category::Marketing);
        }
        c
    }
}

/// `G-` then letters and digits: a GA4 measurement id.
pub fn is_ga4_id(id: &str) -> bool {
    id.strip_prefix("G-")
        .is_some_and(|r| (4..=16).contains(&r.len()) && upper_alnum(r))
}

/// `GTM-` then letters and digits: a Tag Manager container id.
pub fn is_gtm_id(id: &str) -> bool {
    id.strip_prefix("GTM-")
        .is_some_and(|r| (4..=12).contains(&r.len()) && upper_alnum(r))
}

/// A Meta pixel id: 5 to 20 digits.
pub fn is_pixel_id(id: &str) -> bool {
    (5..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit())
}

fn upper_alnum(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A host name as Plausible registers it: `shop.example.com`.
fn is_domain(d: &str) -> bool {
    d.contains('.')
        && d.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Line of `  name:` inside the top-level block `block:` (or the block's line).
fn key_line(text: &str, block: &str, name: &str) -> usize {
    let mut inside = false;
    let mut block_line = 1;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            inside = line.starts_with(&format!("{block}:"));
            if inside {
                block_line = i + 1;
                if line.contains(&format!("{name}:")) {
                    return i + 1;
                }
            }
            continue;
        }
        if inside && line.trim_start().starts_with(&format!("{name}:")) {
            return i + 1;
        }
    }
    block_line
}

/// Checks `analytics:` and `consent:`.
pub fn validate(config: &Config, path: &Path, text: &str, errs: &mut Diagnostics) {
    let a = &config.analytics;
    let at =
        |block: &str, key: &str, d: Diagnostic| d.in_file(path).at(key_line(text, block, key), 1);
    if let Some(id) = &a.ga4 {
        if !is_ga4_id(id) {
            errs.push(at(
                "analytics",
                "ga4",
                Diagnostic::error(format!("`ga4: {id}` is not a GA4 measurement id")).with_help(
                    "copy it from GA4 > Admin > Data streams: it looks like G-A1B2C3D4E5",
                ),
            ));
        }
    }
    if let Some(id) = &a.gtm {
        if !is_gtm_id(id) {
            errs.push(at(
                "analytics",
                "gtm",
                Diagnostic::error(format!(
                    "`gtm: {id}` is not a Google Tag Manager container id"
                ))
                .with_help(
                    "copy it from Tag Manager's workspace header: it looks like GTM-A1B2C3D",
                ),
            ));
        }
    }
    if let Some(id) = &a.meta_pixel {
        if !is_pixel_id(id) {
            errs.push(at("analytics", "meta_pixel", Diagnostic::error(format!(
                "`meta_pixel: {id}` is not a Meta pixel id"
            ))
            .with_help("a pixel id is digits only, e.g. meta_pixel: \"1234567890123456\" (Events Manager > Data sources)")));
        }
    }
    if let Some(p) = &a.plausible {
        if !is_domain(&p.domain) {
            errs.push(at("analytics", "domain", Diagnostic::error(format!(
                "`domain: {}` of analytics.plausible is not a domain",
                p.domain
            ))
            .with_help("use the domain as added in Plausible, without https://, e.g. domain: oliva.example")));
        }
        let ok = url::Url::parse(&p.src).is_ok_and(|u| {
            u.scheme() == "https"
                || u.scheme() == "http" && matches!(u.host_str(), Some("127.0.0.1" | "localhost"))
        });
        if !ok {
            errs.push(at("analytics", "src", Diagnostic::error(format!(
                "`src: {}` of analytics.plausible is not an https URL",
                p.src
            ))
            .with_help("use the script URL of your Plausible, e.g. src: https://plausible.io/js/script.js")));
        }
    }
    let Some(c) = &config.consent else {
        // `consent:` with nothing after it is YAML's null: no banner, which
        // is surely not what was meant.
        if let Some(i) = text.lines().position(|l| l.trim_end() == "consent:") {
            errs.push(
                Diagnostic::error("`consent:` is empty, so the banner stays off")
                    .in_file(path)
                    .at(i + 1, 1)
                    .with_help("write consent: {} to turn the banner on with its defaults"),
            );
        }
        return;
    };
    if c.version == 0 {
        errs.push(at(
            "consent",
            "version",
            Diagnostic::error("`consent.version` must be at least 1")
                .with_help("start at version: 1 and raise it to ask every visitor again"),
        ));
    }
    if let Some(policy) = &c.policy {
        if super::hosting::check_to(policy).is_err() {
            errs.push(at(
                "consent",
                "policy",
                Diagnostic::error(format!(
                    "`policy: {policy}` is not a site path or an http(s) URL"
                ))
                .with_help("link the privacy page, e.g. policy: /privacy/"),
            ));
        }
    }
    if !c.categories.is_empty() {
        for need in a.needs() {
            if !c.categories.contains(&need) {
                let tags = match need {
                    Category::Analytics => "GA4, Tag Manager and Plausible wait",
                    Category::Marketing => "the Meta pixel waits",
                };
                errs.push(at(
                    "consent",
                    "categories",
                    Diagnostic::error(format!(
                        "`consent.categories` has no `{}`, which {tags} for",
                        need.as_str()
                    ))
                    .with_help(format!(
                        "add it: categories: [{}]",
                        c.categories(&AnalyticsConfig::default())
                            .iter()
                            .map(|c| c.as_str())
                            .chain([need.as_str()])
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(text, Path::new("site.yaml"))
    }

    #[test]
    fn ids_are_checked() {
        assert!(is_ga4_id("G-A1B2C3D4E5"));
        assert!(!is_ga4_id("UA-12345-1") && !is_ga4_id("G-abc1") && !is_ga4_id("G-"));
        assert!(is_gtm_id("GTM-5XK2PQ9"));
        assert!(!is_gtm_id("GTM-5x") && !is_gtm_id("gtm-5XK2PQ9"));
        assert!(is_pixel_id("1234567890123456"));
        assert!(!is_pixel_id("12a4567") && !is_pixel_id("123"));
    }

    #[test]
    fn bad_ids_name_their_line() {
        let err = parse(
            "title: S\nanalytics:\n  data_layer: true\n  ga4: UA-1234-1\n  meta_pixel: \"12ab\"\n",
        )
        .unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
        assert_eq!(err.0[0].line, Some(4));
        assert!(err.0[0].message.contains("GA4"), "{err}");
        assert_eq!(err.0[1].line, Some(5));
    }

    #[test]
    fn categories_default_to_what_tags_need() {
        let c = parse(
            "title: S\nanalytics:\n  ga4: G-TEST1234\n  meta_pixel: \"123456789\"\nconsent: {}\n",
        )
        .unwrap();
        let consent = c.consent.as_ref().unwrap();
        assert_eq!(
            consent.categories(&c.analytics),
            [Category::Analytics, Category::Marketing]
        );
        assert_eq!(consent.version, 1);
    }

    #[test]
    fn an_empty_consent_key_is_not_silently_off() {
        let err = parse("title: S\nconsent:\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(2), "{err}");
        assert!(err.0[0].help.as_deref().unwrap().contains("consent: {}"));
    }

    #[test]
    fn a_tag_needs_its_category() {
        let err = parse(
            "title: S\nanalytics:\n  meta_pixel: \"123456789\"\nconsent:\n  categories: [analytics]\n",
        )
        .unwrap_err();
        assert_eq!(err.0[0].line, Some(5), "{err}");
        assert!(err.0[0].message.contains("marketing"), "{err}");
    }
}
