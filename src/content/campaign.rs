//! Campaign mechanics of an offer: schedule (scarcity), A/B variants,
//! popups and per-UTM personalisation.

use serde::{Deserialize, Serialize};

use super::offer_parts::{Cta, Incentive};
use crate::base::date::Date;

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub starts: Option<Date>,
    pub ends: Option<Date>,
    /// Show a live countdown to `ends`.
    #[serde(default)]
    pub countdown: bool,
    /// Offer id shown instead outside the window.
    pub fallback: Option<String>,
}

impl Schedule {
    /// Whether the offer runs at `now`.
    pub fn is_active(&self, now: &Date) -> bool {
        self.starts.is_none_or(|s| s.at <= now.at) && self.end().is_none_or(|e| now.at < e)
    }

    /// The first moment the offer no longer runs. A date without a time
    /// means "through that day": `ends: 2026-03-08` runs until midnight UTC
    /// at the end of 8 March.
    pub fn end(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.ends.map(|e| {
            if e.date_only {
                e.at + chrono::Duration::days(1)
            } else {
                e.at
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    #[serde(default = "default_weight")]
    pub weight: u32,
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub incentive: Option<Incentive>,
    pub cta: Option<Cta>,
}

fn default_weight() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// The mouse leaves the window at the top (desktop only).
    ExitIntent,
    Delay,
    /// A share of the page read (scrolled through).
    Scroll,
    /// A fast scroll back up: the phone's exit intent.
    ScrollUp,
    /// No touch, key, scroll or mouse move for `idle` seconds.
    Idle,
    /// Never on its own (`mobile: none`).
    None,
}

impl Trigger {
    /// What a popup does on phones and tablets when its offer does not say:
    /// the same, except that exit intent (a mouse gesture) becomes a fast
    /// scroll back up.
    pub fn on_touch(self) -> Trigger {
        match self {
            Trigger::ExitIntent => Trigger::ScrollUp,
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Popup {
    pub trigger: Trigger,
    /// Seconds, for `trigger: delay`.
    #[serde(default = "default_delay")]
    pub delay: u32,
    /// Percent of the page, for `trigger: scroll`.
    #[serde(default = "default_scroll")]
    pub scroll: u8,
    /// URL path globs; empty means every page.
    #[serde(default)]
    pub pages: Vec<String>,
    /// Show at most once per this many days per visitor.
    #[serde(default = "default_frequency")]
    pub frequency_days: u32,
    /// The trigger on touch devices (phones, tablets); default: `trigger`,
    /// with exit intent turned into `scroll-up`.
    pub mobile: Option<Trigger>,
    /// Seconds without input, for `trigger: idle`.
    #[serde(default = "default_idle")]
    pub idle: u32,
    /// Where several popups match a page, the highest shows (one per page
    /// view, `popups.per_session` per visit).
    #[serde(default)]
    pub priority: i32,
}

impl Popup {
    /// The trigger on touch devices.
    pub fn mobile_trigger(&self) -> Trigger {
        self.mobile.unwrap_or(self.trigger.on_touch())
    }
}

/// The pages a popup shows on: its `pages` globs, compiled once.
#[derive(Debug, Clone)]
pub struct PopupPages(Option<globset::GlobSet>);

impl PopupPages {
    pub fn new(popup: &Popup) -> PopupPages {
        PopupPages::from_globs(&popup.pages)
    }

    /// The pages `globs` match (validated when the offer was loaded).
    pub fn from_globs(globs: &[String]) -> PopupPages {
        let set = (!globs.is_empty()).then(|| {
            let mut b = globset::GlobSetBuilder::new();
            for g in globs {
                // Validated when the offer was loaded.
                if let Ok(glob) = globset::Glob::new(g) {
                    b.add(glob);
                }
            }
            b.build().unwrap_or_else(|_| globset::GlobSet::empty())
        });
        PopupPages(set)
    }

    /// Whether the popup shows on the page at URL path `path` (`/blog/x/`):
    /// `/blog/**` and `/blog/*` match it with or without the trailing slash.
    pub fn matches(&self, path: &str) -> bool {
        self.0.as_ref().is_none_or(|s| {
            s.is_match(path)
                || s.is_match(path.trim_end_matches('/'))
                || path == "/" && s.is_match("")
        })
    }
}

fn default_delay() -> u32 {
    10
}
fn default_scroll() -> u8 {
    50
}
fn default_frequency() -> u32 {
    7
}
fn default_idle() -> u32 {
    30
}

/// Text shown instead when the visitor came with matching UTM parameters.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Personalize {
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub utm_term: Option<String>,
    pub utm_content: Option<String>,
    pub headline: Option<String>,
    /// Incentive text, e.g. "15% off".
    pub incentive: Option<String>,
}

impl Personalize {
    /// The UTM keys this rule matches on.
    pub fn matches(&self) -> Vec<(&'static str, &str)> {
        [
            ("utm_source", &self.utm_source),
            ("utm_medium", &self.utm_medium),
            ("utm_campaign", &self.utm_campaign),
            ("utm_term", &self.utm_term),
            ("utm_content", &self.utm_content),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_window_is_half_open() {
        let s = Schedule {
            starts: Some(Date::parse("2026-03-01").unwrap()),
            ends: Some(Date::parse("2026-03-08").unwrap()),
            ..Schedule::default()
        };
        assert!(!s.is_active(&Date::parse("2026-02-28T23:59:59Z").unwrap()));
        assert!(s.is_active(&Date::parse("2026-03-01").unwrap()));
        assert!(s.is_active(&Date::parse("2026-03-08T23:59:59Z").unwrap()));
        assert!(!s.is_active(&Date::parse("2026-03-09").unwrap()));
    }

    #[test]
    fn popup_pages_match_with_or_without_slash() {
        let popup = |pages: &[&str]| Popup {
            trigger: Trigger::Delay,
            delay: 1,
            scroll: 1,
            pages: pages.iter().map(|p| p.to_string()).collect(),
            frequency_days: 1,
            mobile: None,
            idle: 1,
            priority: 0,
        };
        let blog = PopupPages::new(&popup(&["/blog/**"]));
        assert!(blog.matches("/blog/x/") && blog.matches("/blog/"));
        assert!(!blog.matches("/products/x/"));
        assert!(PopupPages::new(&popup(&[])).matches("/anything/"));
    }
}
