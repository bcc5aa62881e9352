//! The announcement bar of an offer: a slim strip at the top or bottom of
//! the pages its `pages` globs match (free shipping over a threshold, a
//! flash sale with its countdown), dismissible and remembered.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BarPosition {
    /// Above the header, in the flow: its space is in the HTML as built.
    #[default]
    Top,
    /// Fixed over the bottom of the window: nothing moves when it goes.
    Bottom,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bar {
    #[serde(default)]
    pub position: BarPosition,
    /// URL path globs; empty means every page.
    #[serde(default)]
    pub pages: Vec<String>,
    /// Once dismissed, hidden for this many days (0: back on every page view).
    #[serde(default = "default_frequency")]
    pub frequency_days: u32,
}

fn default_frequency() -> u32 {
    7
}
