//! `form-needs-js`: an offer whose form goes to a mailing tool that takes
//! JSON only (HubSpot's forms API, Klaviyo's client subscriptions API).
//! lander builds the JSON in the browser (the theme's `providers.js`), so
//! a visitor without JavaScript, or whose script failed to load, cannot
//! sign up: the plain form post is refused by the vendor.

use super::context::{Ctx, Loc};
use super::{Finding, Found, Rule};

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    let forms = &ctx.site.config.forms;
    for offer in &ctx.site.offers {
        let provider = offer.def.form.provider.unwrap_or(forms.provider);
        // --form-endpoint sends every form elsewhere (staging): as built,
        // the vendor is still the one of the offer.
        if !provider.needs_js() {
            continue;
        }
        let loc = ctx
            .offer_loc(&offer.id, "form")
            .unwrap_or_else(|| Loc::file(&offer.source));
        out.push(loc.put(
            Finding::new(
                Rule::FormNeedsJs,
                format!(
                    "the form of offer `{}` goes to {}, whose API takes JSON only: visitors without JavaScript cannot submit it",
                    offer.id,
                    provider.name()
                ),
            )
            .with_help(
                "keep it if that loss is acceptable (and disable the rule), or use a provider that takes a plain form post too: kit, brevo, mailchimp, generic",
            ),
        ));
    }
}
