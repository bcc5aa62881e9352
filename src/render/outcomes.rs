//! Quiz outcomes as templates see them: the result sections of a quiz form
//! (shown by the theme's `quiz.js`), the buttons that choose a result
//! without JavaScript, and the per-outcome thank-you pages.

use serde::Serialize;
use serde_json::Value;

use super::lang::Locale;
use super::urls::Urls;
use crate::config::forms::vendor_name;
use crate::content::form::Provider;
use crate::content::outcome::Target;
use crate::content::{Offer, Site};

/// What the outcome recommends when it is not a product (those show as a card).
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub text: String,
    pub url: String,
}

/// The submit button of an outcome in a form without JavaScript: what it
/// sends and where the browser goes after the post.
#[derive(Debug, Clone, Serialize)]
pub struct ButtonView {
    pub name: String,
    pub value: String,
    /// Netlify: the outcome's thank-you page as the form's action.
    pub formaction: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeView {
    pub id: String,
    pub title: String,
    /// HTML.
    pub body: String,
    /// The product card (a list summary) when it recommends a product.
    pub item: Option<Value>,
    /// The offer or page it recommends.
    pub link: Option<LinkView>,
    /// Path of its thank-you page.
    pub thanks: String,
    pub button: ButtonView,
    /// The result when no condition matches.
    pub default: bool,
}

/// `thank_you` on the thank-you page of an outcome: the outcome's title and
/// body, then the offer's next step.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeThankYou<'a> {
    pub title: &'a str,
    /// HTML (the outcome's `body`).
    pub body: Option<&'a str>,
    /// The offer's `thank_you.next` link.
    pub next: Option<LinkView>,
}

/// Where the outcomes of a form come from.
pub struct OutcomeContext<'a> {
    pub site: &'a Site,
    pub urls: Urls<'a>,
    pub loc: &'a Locale<'a>,
    /// The list summary of page `i` (a product card).
    pub card: &'a dyn Fn(usize) -> Value,
}

/// Whether a provider can send a visitor without JavaScript to a page
/// lander names per submit button (`_redirect`, `_next`, Netlify's action).
pub fn routes_without_js(provider: Provider) -> bool {
    matches!(
        provider,
        Provider::Generic | Provider::Formspree | Provider::Netlify
    )
}

/// The outcomes of `offer` in the language of `ctx.loc`, for a form that
/// posts to `provider`.
pub fn outcome_views(offer: &Offer, provider: Provider, ctx: &OutcomeContext) -> Vec<OutcomeView> {
    let (site, urls, loc) = (ctx.site, ctx.urls, ctx.loc);
    let def = offer.def_in(loc.index);
    def.outcomes
        .iter()
        .map(|o| {
            let thanks_site = offer.outcome_path_in(&o.id, loc.lang);
            let thanks = urls.path(&thanks_site);
            let (mut item, mut link) = (None, None);
            match o.target() {
                Some(Target::Product(slug)) => {
                    item = site.product_by_slug(slug, &loc.lang.code).map(ctx.card);
                }
                Some(Target::Offer(id)) => {
                    link = site.effective_offer(id).map(|t| LinkView {
                        text: t.def_in(loc.index).cta_text().to_string(),
                        url: urls.path(&t.path_in(loc.lang)),
                    });
                }
                Some(Target::Page(path)) => {
                    let bare = path.split(['#', '?']).next().unwrap_or_default();
                    // Its URL is in the site key; its title is a read of the page.
                    let title = (0..site.pages.len()) // a URL lookup: URLs are in the site key
                        .find(|&i| site.pages[i].path == bare) // a URL lookup: URLs are in the site key
                        .map_or_else(
                            || o.title.clone(),
                            |i| site.pages[crate::base::reads::page(i)].meta.title.clone(),
                        );
                    link = Some(LinkView {
                        text: title,
                        url: urls.link(path),
                    });
                }
                None => {}
            }
            let button = match provider {
                Provider::Netlify => ButtonView {
                    name: "outcome".into(),
                    value: o.id.clone(),
                    formaction: Some(thanks.clone()),
                },
                // The endpoint redirects to the value of this field: the
                // button carries it in place of the form's hidden one.
                Provider::Generic => ButtonView {
                    name: "_redirect".into(),
                    value: urls.permalink(&thanks_site),
                    formaction: None,
                },
                Provider::Formspree => ButtonView {
                    name: "_next".into(),
                    value: urls.permalink(&thanks_site),
                    formaction: None,
                },
                // The vendor sends the visitor to the page set in its account
                // (`lander check` warns: outcome-without-js).
                other => ButtonView {
                    name: vendor_name(other, "outcome"),
                    value: o.id.clone(),
                    formaction: None,
                },
            };
            OutcomeView {
                id: o.id.clone(),
                title: o.title.clone(),
                body: o
                    .body
                    .as_deref()
                    .map(|b| crate::markdown::render(b).html)
                    .unwrap_or_default(),
                item,
                link,
                thanks,
                button,
                default: o.default,
            }
        })
        .collect()
}

/// `data-outcomes` for `quiz.js`: `[{"id":…,"when":{FIELD:[…]}}]` in the
/// order they are tried, the default last (with no conditions: it always
/// matches). Field names are as sent to the provider.
pub fn outcomes_json(offer: &Offer, provider: Provider) -> Option<String> {
    let outcomes = &offer.def.outcomes;
    if outcomes.is_empty() {
        return None;
    }
    let rules: Vec<Value> = outcomes
        .iter()
        .filter(|o| !o.default)
        .chain(outcomes.iter().filter(|o| o.default))
        .map(|o| {
            let when: serde_json::Map<String, Value> = o
                .when
                .iter()
                .map(|(k, v)| (vendor_name(provider, k), Value::from(v.0.clone())))
                .collect();
            serde_json::json!({"id": o.id, "when": when})
        })
        .collect();
    Some(Value::from(rules).to_string())
}
