//! Popups and announcement bars: which running offers show on which page
//! (by `pages` globs, or opened by a `cta(open="popup")` click).

use super::embeds;
use super::forms;
use super::lang::Locale;
use super::offers::OfferView;
use super::popups::{BarView, PopupView};
use super::renderer::Renderer;
use crate::content::campaign::PopupPages;
use crate::content::Site;
use crate::shortcodes::Extracted;

/// Running offers with a popup, and the pages it shows on.
pub(super) fn popup_matchers(site: &Site) -> Vec<(usize, PopupPages)> {
    site.offers // before the jobs: in the site key
        .iter()
        .enumerate()
        .filter(|(_, o)| site.is_running(o))
        .filter_map(|(i, o)| Some((i, PopupPages::new(o.def.popup.as_ref()?))))
        .collect()
}

/// Running offers with an announcement bar, and the pages it shows on.
pub(super) fn bar_matchers(site: &Site) -> Vec<(usize, PopupPages)> {
    site.offers // before the jobs: in the site key
        .iter()
        .enumerate()
        .filter(|(_, o)| site.is_running(o))
        .filter_map(|(i, o)| Some((i, PopupPages::from_globs(&o.def.bar.as_ref()?.pages))))
        .collect()
}

/// Per page, the offers (indices) that a `cta` with `open="popup"` opens in
/// a dialog: the page carries their popup, shown on click only.
/// So does the page's own offer with `offer_open: popup`.
pub(super) fn click_opens(site: &Site, extracted: &[Extracted]) -> Vec<Vec<usize>> {
    use crate::content::front_matter::OfferOpen;
    extracted
        .iter()
        .zip(&site.pages) // before the jobs: each page's own
        .map(|(ex, page)| {
            let own = page
                .meta
                .offer
                .as_deref()
                .filter(|_| page.meta.offer_open == Some(OfferOpen::Popup));
            let mut opens: Vec<usize> = ex
                .calls
                .iter()
                .filter(|c| c.name == "cta" && c.arg("open") == Some(embeds::OPEN_POPUP))
                .filter_map(|c| c.arg("offer"))
                .chain(own)
                .filter_map(|id| site.effective_offer(id))
                .filter_map(|o| site.offers.iter().position(|x| x.id == o.id)) // before the jobs
                .collect();
            opens.sort_unstable();
            opens.dedup();
            opens
        })
        .collect()
}

impl Renderer<'_> {
    /// `path` without the language prefix: `pages` globs are written for
    /// every language (`/blog/**` also matches `/ar/blog/x/`).
    fn unprefixed<'p>(path: &'p str, loc: &Locale) -> &'p str {
        let prefix = &loc.lang.prefix;
        match path.strip_prefix(prefix.as_str()) {
            Some(rest) if !prefix.is_empty() && rest.starts_with('/') => rest,
            _ => path,
        }
    }

    /// The popups whose `pages` globs match this page path, then those that
    /// only its `cta(open="popup")` calls open (`clicks`).
    pub(super) fn popups_for(
        &self,
        path: &str,
        loc: &Locale,
        clicks: &[usize],
    ) -> Vec<PopupView<'_>> {
        let urls = self.views.urls;
        let page_path = urls.path(path);
        let path = Self::unprefixed(path, loc);
        let auto: Vec<usize> = self
            .popups
            .iter()
            .filter(|(_, pages)| pages.matches(path))
            .map(|(i, _)| *i)
            .collect();
        let click_only = clicks.iter().filter(|i| !auto.contains(i)).copied();
        let per_session = self.site.config.popups.per_session;
        auto.iter()
            .copied()
            .chain(click_only)
            .map(|i| {
                let offer = &self.site.offers[crate::base::reads::offer(i)];
                let popup = offer.def.popup.as_ref().filter(|_| auto.contains(&i));
                PopupView {
                    offer: OfferView::new(offer, loc, urls),
                    form: forms::form_view(
                        offer,
                        &forms::FormContext {
                            config: &self.site.config,
                            urls,
                            page_path: &page_path,
                            loc,
                            instance: "popup",
                            site: self.site,
                            card: &|i| self.views.summary_value(i),
                        },
                    ),
                    trigger: popup.map(|p| p.trigger),
                    mobile_trigger: popup.map(|p| p.mobile_trigger()),
                    delay: popup.map_or(0, |p| p.delay),
                    scroll: popup.map_or(0, |p| p.scroll),
                    idle: popup.map_or(0, |p| p.idle),
                    frequency_days: popup.map_or(0, |p| p.frequency_days),
                    priority: popup.map_or(0, |p| p.priority),
                    per_session,
                }
            })
            .collect()
    }

    /// The announcement bars whose `pages` globs match this page path.
    pub(super) fn bars_for(&self, path: &str, loc: &Locale) -> Vec<BarView<'_>> {
        let path = Self::unprefixed(path, loc);
        self.bars
            .iter()
            .filter(|(_, pages)| pages.matches(path))
            .filter_map(|(i, _)| {
                let offer = &self.site.offers[crate::base::reads::offer(*i)];
                let bar = offer.def.bar.as_ref()?;
                Some(BarView {
                    offer: OfferView::new(offer, loc, self.views.urls),
                    position: bar.position,
                    frequency_days: bar.frequency_days,
                })
            })
            .collect()
    }
}
