//! Offers as templates see them: headline and incentive per A/B variant,
//! personalisation rules and schedule, ready for the offer block partial.

use serde::Serialize;

use super::lang::Locale;
use super::urls::Urls;
use crate::content::front_matter::Stage;
use crate::content::offer::{IncentiveType, Offer, OfferKind};

#[derive(Serialize)]
pub struct IncentiveView {
    #[serde(rename = "type")]
    pub kind: IncentiveType,
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CtaView {
    pub text: String,
    pub url: String,
}

/// One A/B variant's text; an offer without variants has one, with id "".
#[derive(Serialize)]
pub struct VariantView {
    pub id: String,
    pub headline: String,
    pub subheadline: Option<String>,
    pub incentive: Option<String>,
    pub cta_text: String,
    /// Not the default: hidden until the script picks it.
    pub hidden: bool,
}

#[derive(Serialize)]
pub struct OfferView<'a> {
    pub id: &'a str,
    pub headline: &'a str,
    pub subheadline: Option<&'a str>,
    pub stage: Option<Stage>,
    pub stage_name: &'static str,
    pub kind: Option<OfferKind>,
    pub incentive: Option<IncentiveView>,
    pub benefits: &'a [String],
    pub image: Option<String>,
    pub image_alt: Option<&'a str>,
    /// Size of `image` when it is a local file (set where the site's image
    /// sizes are at hand: see [`OfferView::with_image_size`]).
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub cta: CtaView,
    /// Same as `cta.text`.
    pub cta_text: String,
    pub path: String,
    pub thanks_path: String,
    pub variants: Vec<VariantView>,
    /// JSON for `data-variants`: `[{"id":…,"weight":…}]`, or null.
    pub variants_json: Option<String>,
    /// JSON for `data-personalize`, or null.
    pub personalize_json: Option<String>,
    /// End of the offer (RFC 3339) when it shows a countdown.
    pub countdown_ends: Option<String>,
    /// End of the offer (RFC 3339), if it has one.
    pub ends: Option<String>,
    /// The end as readable text, e.g. "8 March 2026, 23:59 UTC".
    pub ends_display: Option<String>,
}

impl<'a> OfferView<'a> {
    /// The view with the width and height of its image (no layout shift
    /// when the hero loads).
    pub fn with_image_size(mut self, size: Option<(u32, u32)>) -> Self {
        if let Some((w, h)) = size {
            self.image_width = Some(w);
            self.image_height = Some(h);
        }
        self
    }

    /// The offer in the language of `loc`: its translated text, its pages
    /// under the language's prefix, incentives and dates for the locale.
    pub fn new(o: &'a Offer, loc: &Locale, urls: Urls) -> Self {
        let def = o.def_in(loc.index);
        let path = urls.path(&o.path_in(loc.lang));
        let label = |i: &crate::content::offer::Incentive| loc.incentive(i);
        let cta_url = def
            .cta
            .as_ref()
            .and_then(|c| c.url.as_ref())
            .map_or_else(|| path.clone(), |u| urls.link(&u.0));
        let mut variants: Vec<VariantView> = def
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| VariantView {
                id: v.id.clone(),
                headline: v.headline.clone().unwrap_or_else(|| def.headline.clone()),
                subheadline: v.subheadline.clone().or_else(|| def.subheadline.clone()),
                incentive: v.incentive.as_ref().or(def.incentive.as_ref()).map(label),
                cta_text: v
                    .cta
                    .as_ref()
                    .map_or_else(|| def.cta_text().to_string(), |c| c.text.clone()),
                hidden: i > 0,
            })
            .collect();
        if variants.is_empty() {
            variants.push(VariantView {
                id: String::new(),
                headline: def.headline.clone(),
                subheadline: def.subheadline.clone(),
                incentive: def.incentive.as_ref().map(label),
                cta_text: def.cta_text().to_string(),
                hidden: false,
            });
        }
        let variants_json = (!def.variants.is_empty()).then(|| {
            let v: Vec<serde_json::Value> = o
                .def
                .variants
                .iter()
                .map(|v| serde_json::json!({"id": v.id, "weight": v.weight}))
                .collect();
            serde_json::Value::from(v).to_string()
        });
        let personalize_json = (!def.personalize.is_empty()).then(|| {
            let rules: Vec<serde_json::Value> = def
                .personalize
                .iter()
                .map(|r| {
                    let m: serde_json::Map<String, serde_json::Value> = r
                        .matches()
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.into()))
                        .collect();
                    serde_json::json!({"match": m, "headline": r.headline, "incentive": r.incentive})
                })
                .collect();
            serde_json::Value::from(rules).to_string()
        });
        let schedule = def.schedule.as_ref();
        let ends = schedule.and_then(|s| s.ends);
        let end = schedule.and_then(|s| s.end());
        OfferView {
            id: &o.id,
            headline: &def.headline,
            subheadline: def.subheadline.as_deref(),
            stage: def.stage,
            stage_name: def.stage.map_or("", |s| s.name()),
            kind: def.kind,
            incentive: def.incentive.as_ref().map(|i| IncentiveView {
                kind: i.kind,
                value: i.value,
                currency: i.currency.clone(),
                label: loc.incentive(i),
            }),
            benefits: &def.benefits,
            image: def.image.as_deref().map(|s| urls.link(s)),
            image_alt: def.image_alt.as_deref(),
            image_width: None,
            image_height: None,
            cta_text: def.cta_text().to_string(),
            cta: CtaView {
                text: def.cta_text().to_string(),
                url: cta_url,
            },
            thanks_path: urls.path(&o.thanks_path_in(loc.lang)),
            path,
            variants,
            variants_json,
            personalize_json,
            ends: end.map(|e| e.to_rfc3339()),
            countdown_ends: end
                .filter(|_| schedule.is_some_and(|s| s.countdown))
                .map(|e| e.to_rfc3339()),
            ends_display: ends.map(|e| {
                let day = loc.date(e.at.date_naive());
                if e.date_only {
                    day
                } else {
                    format!("{day}, {}", e.at.format("%H:%M UTC%:z")).replace("UTC+00:00", "UTC")
                }
            }),
        }
    }
}

/// An offer's thank-you text in a language: on its thank-you page, and
/// inside its forms (hidden until success) with `on_success: inline`.
#[derive(Debug, Clone, Serialize)]
pub struct ThankYouView {
    pub title: String,
    /// HTML (from the Markdown `body`).
    pub body: String,
    pub next: Option<CtaView>,
}

impl ThankYouView {
    /// `body` is the offer's `thank_you.body` rendered in this language.
    pub fn new(o: &Offer, loc: &Locale, urls: Urls, body: String) -> Self {
        let ty = o.def_in(loc.index).thank_you.as_ref();
        ThankYouView {
            title: ty
                .map(|t| t.title.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| loc.t("thank_you").to_string()),
            body,
            next: ty.and_then(|t| t.next.as_ref()).map(|n| CtaView {
                text: n.text.clone(),
                url: urls.link(&n.url.0),
            }),
        }
    }
}

/// What a lead of the offer reports to analytics (`data-lander-lead`
/// on the thank-you page, the same data on its forms).
#[derive(Debug, Clone, Serialize)]
pub struct LeadView {
    pub offer: String,
    pub stage: &'static str,
    pub value: Option<f64>,
    pub currency: Option<String>,
}

impl LeadView {
    pub fn new(o: &Offer) -> Self {
        LeadView {
            offer: o.id.clone(),
            stage: o.def.stage.map_or("", |s| s.name()),
            value: o.lead_value.as_ref().map(|v| v.value),
            currency: o
                .lead_value
                .as_ref()
                .map(|v| v.currency.to_ascii_uppercase()),
        }
    }
}
