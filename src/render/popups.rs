//! What a page shows beside its content: the popups and announcement
//! bars of the offers placed on it (see `placements`).

use serde::Serialize;

use super::forms::FormView;
use super::offers::OfferView;
use crate::content::bar::BarPosition;
use crate::content::campaign::Trigger;

/// A popup shown on the page being rendered.
#[derive(Serialize)]
pub struct PopupView<'a> {
    pub offer: OfferView<'a>,
    pub form: FormView,
    /// `None`: opened only by a `cta` with `open: popup` on the page.
    pub trigger: Option<Trigger>,
    /// The trigger on touch devices.
    pub mobile_trigger: Option<Trigger>,
    pub delay: u32,
    pub scroll: u8,
    pub idle: u32,
    pub frequency_days: u32,
    pub priority: i32,
    /// The site's cap: popups shown on their own per visit (session).
    pub per_session: u32,
}

/// An announcement bar shown on the page being rendered.
#[derive(Serialize)]
pub struct BarView<'a> {
    pub offer: OfferView<'a>,
    pub position: BarPosition,
    pub frequency_days: u32,
}
