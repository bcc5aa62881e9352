//! Quiz outcomes: `expired-offer` when an outcome recommends an offer that
//! does not run at the build date (`--now`) and has no running fallback,
//! and `outcome-without-js` when the form's mailing tool cannot send a
//! visitor without JavaScript to the outcome's thank-you page.

use super::context::{Ctx, Loc};
use super::{Finding, Found, Rule};
use crate::content::outcome::Target;
use crate::render::outcomes::routes_without_js;

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    let site = ctx.site;
    for offer in site.offers.iter().filter(|o| !o.def.outcomes.is_empty()) {
        let file = Loc::file(&offer.source);
        for (n, o) in offer.def.outcomes.iter().enumerate() {
            let Some(Target::Offer(id)) = o.target() else {
                continue;
            };
            if site.offer(id).is_some() && site.effective_offer(id).is_none() {
                let at = file.clone().at(offer.key_lines.item_line("outcomes", n), 1);
                out.push(at.put(
                    Finding::new(
                        Rule::ExpiredOffer,
                        format!(
                            "the outcome `{}` recommends the offer `{id}`, which is not running on {} and has no running fallback",
                            o.id,
                            site.now.to_iso()
                        ),
                    )
                    .with_help("point the outcome at a running offer or a product, or give the offer's schedule a `fallback`"),
                ));
            }
        }
        let provider = offer
            .def
            .form
            .provider
            .unwrap_or(site.config.forms.provider);
        if routes_without_js(provider) || provider.needs_js() {
            // HubSpot and Klaviyo: form-needs-js says it already.
            continue;
        }
        let at = file.at(offer.key_lines.line("outcomes"), 1);
        out.push(at.put(
            Finding::new(
                Rule::OutcomeWithoutJs,
                format!(
                    "the quiz `{}` posts to {}, which sends visitors without JavaScript to the page set in its account: they get the outcome's id, not its thank-you page",
                    offer.id,
                    provider.name()
                ),
            )
            .with_help("keep it if that is acceptable (and disable the rule), or use a provider lander can redirect per outcome: generic (`_redirect`), formspree (`_next`) or netlify (`formaction`)"),
        ));
    }
}
