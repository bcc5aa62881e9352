//! Lead-capture forms as templates see them: the provider's conventions
//! (action, honeypot, redirect fields, field names) decided here, once.

use serde::Serialize;

use super::lang::Locale;
use super::offers::{LeadView, ThankYouView};
use super::urls::Urls;
use crate::base::slug::humanize;
use crate::config::forms::vendor_name;
use crate::config::Config;
use crate::content::form::{
    base_name, Field, FieldType, Provider, DEFAULT_TIME_TRAP, TRACKING_FIELDS,
};
use crate::content::offer::OnSuccess;
use crate::content::Offer;

#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    pub label: String,
    pub required: bool,
    pub placeholder: Option<String>,
    pub options: Vec<OptionView>,
    pub value: Option<String>,
    pub autocomplete: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub id: String,
    /// What is sent: the offer's own option text, in every language.
    pub value: String,
    /// What is shown: the option in the page's language.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub number: usize,
    pub title: String,
    pub optional: bool,
    pub last: bool,
    pub fields: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hidden {
    pub name: String,
    pub value: String,
    /// `data-l`: lander's own name of a field the script fills in
    /// (`variant`, `utm_*`, `referrer`), whatever the vendor calls it.
    pub key: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsentView {
    pub id: String,
    pub text: String,
    /// What the checkbox sends: `consent=yes`, Brevo's `OPT_IN=1`.
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// Unique within the page; prefixes every element id.
    pub id: String,
    pub offer: String,
    pub provider: Provider,
    pub action: String,
    /// Path of the thank-you page.
    pub thanks: String,
    /// Netlify's form name.
    pub name: Option<String>,
    pub honeypot: String,
    pub hidden: Vec<Hidden>,
    pub fields: Vec<FieldView>,
    pub steps: Vec<StepView>,
    pub quiz: bool,
    pub consent: Option<ConsentView>,
    pub submit: String,
    pub success: String,
    /// Shown when sending fails (with JavaScript).
    pub error: String,
    /// `data-list`: the Klaviyo list the script subscribes to.
    pub list: Option<String>,
    /// The vendor takes JSON only: the page loads `providers.js`, and
    /// visitors without JavaScript cannot submit.
    pub needs_js: bool,
    /// A quiz's results (the page then loads `quiz.js`).
    pub outcomes: Vec<super::outcomes::OutcomeView>,
    /// `data-outcomes`: the rules `quiz.js` picks a result with.
    pub outcomes_json: Option<String>,
    /// What the result is sent as: `outcome`, or the vendor's name for it.
    pub outcome_name: String,
    /// `page` or `inline`: what a successful submit shows with JavaScript.
    pub on_success: &'static str,
    /// With `on_success: inline`: the thank-you text, hidden until success.
    pub thank_you: Option<ThankYouView>,
    /// The time trap in seconds (0: off).
    pub time_trap: f64,
    pub captcha: Option<CaptchaView>,
    /// What the conversion events report.
    pub lead: LeadView,
}

/// The widget's container as its vendor documents it.
#[derive(Debug, Clone, Serialize)]
pub struct CaptchaView {
    /// `cf-turnstile` or `h-captcha`.
    pub class: &'static str,
    pub site_key: String,
}

/// The name of the hidden field the time trap sets (see content/forms.md).
pub const FAST_FIELD: &str = "lander_fast";

/// The base of HubSpot's forms submission API (unauthenticated, CORS).
pub const HUBSPOT_API: &str = "https://api.hsforms.com/submissions/v3/integration/submit";
/// Kit's hosted form action, before `/{form_id}/subscriptions`.
pub const KIT_FORMS: &str = "https://app.kit.com/forms";
/// Klaviyo's client subscriptions API (`?company_id=` is the public key).
pub const KLAVIYO_API: &str = "https://a.klaviyo.com/client/subscriptions/";

pub struct FormContext<'a> {
    pub config: &'a Config,
    pub urls: Urls<'a>,
    /// Path of the page the form is on (already base-path prefixed).
    pub page_path: &'a str,
    /// The page's language: the offer's text and the theme's strings in it.
    pub loc: &'a Locale<'a>,
    /// Distinguishes several forms of one offer on a page.
    pub instance: &'a str,
    /// The site and the product cards, for a quiz's outcomes.
    pub site: &'a crate::content::Site,
    /// The list summary of page `i` (a product card).
    pub card: &'a dyn Fn(usize) -> serde_json::Value,
}

pub fn form_view(offer: &Offer, ctx: &FormContext) -> FormView {
    let loc = ctx.loc;
    let offer_def = offer.def_in(loc.index);
    let def = &offer_def.form;
    // The site-wide consent and success texts are the default language's;
    // other languages use the theme's strings (which the site can override).
    let site_texts = loc.index == 0;
    let provider = def.provider.unwrap_or(ctx.config.forms.provider);
    let thanks = ctx.urls.path(&offer.thanks_path_in(loc.lang));
    let thanks_abs = ctx.urls.permalink(&offer.thanks_path_in(loc.lang));
    let endpoint_override = ctx
        .config
        .forms
        .endpoint_override
        .as_ref()
        .map(|u| ctx.urls.link(&u.0));
    let own_endpoint = def.endpoint.as_ref().map(|u| ctx.urls.link(&u.0));
    let site_endpoint = ctx
        .config
        .forms
        .endpoint
        .as_ref()
        .map(|u| ctx.urls.link(&u.0));
    let ids = def.vendor_ids().over(&ctx.config.forms.vendor_ids());
    // A vendor whose address lander knows: the ids make it; an endpoint of
    // the offer (a proxy) or --form-endpoint (staging) goes in its place.
    let vendor_url = match provider {
        Provider::Hubspot => ids.hubspot.as_ref().and_then(|h| {
            Some(format!(
                "{HUBSPOT_API}/{}/{}",
                h.portal_id.as_ref()?,
                h.form_guid.as_ref()?
            ))
        }),
        Provider::Kit => ids
            .kit
            .as_ref()
            .and_then(|k| Some(format!("{KIT_FORMS}/{}/subscriptions", k.form_id.as_ref()?))),
        Provider::Klaviyo => Some(KLAVIYO_API.to_string()),
        _ => None,
    };
    // As published; --form-endpoint replaces it, not what it is made of.
    let published = own_endpoint.or(vendor_url).or(site_endpoint);
    let endpoint = endpoint_override.clone().or(published.clone());
    let id = format!("{}-{}", offer.id, ctx.instance);

    let mut hidden = vec![
        h("offer", &offer.id),
        h(
            "variant",
            offer.def.variants.first().map_or("", |v| v.id.as_str()),
        ),
        h("stage", offer.def.stage.map_or("", |s| s.name())),
        h("page", ctx.page_path),
        h("lang", &loc.lang.code),
    ];
    // utm_* and referrer: the script fills them from the visitor's landing.
    hidden.extend(TRACKING_FIELDS.iter().map(|n| h(n, "")));
    for field in &mut hidden {
        let key = field.name.as_str();
        field.key = ["variant"]
            .iter()
            .chain(TRACKING_FIELDS.iter())
            .find(|k| **k == key)
            .copied();
        // Kit and Brevo keep only what has a field of theirs: lander's
        // fields are named as theirs would be (`fields[offer]`, `OFFER`).
        if matches!(provider, Provider::Kit | Provider::Brevo) {
            field.name = vendor_name(provider, key);
        }
    }

    // Set to 1 by the script until the time trap has passed: a post that
    // carries it came sooner than a human could have typed.
    let time_trap = def
        .time_trap
        .or(ctx.config.forms.time_trap)
        .unwrap_or(DEFAULT_TIME_TRAP);
    if time_trap > 0.0 {
        hidden.push(h(FAST_FIELD, ""));
    }

    let mut list = None;
    let (action, honeypot, name) = match provider {
        Provider::Netlify => {
            hidden.push(h("form-name", &offer.id));
            // Netlify takes the POST itself and answers with the page named
            // by `action`; only --form-endpoint (staging) sends it elsewhere.
            (
                endpoint_override.unwrap_or_else(|| thanks.clone()),
                "bot-field".to_string(),
                Some(offer.id.clone()),
            )
        }
        Provider::Formspree => {
            hidden.push(h("_next", &thanks_abs));
            let subject = def
                .subject
                .clone()
                .unwrap_or_else(|| format!("New lead: {}", offer_def.headline));
            hidden.push(h("_subject", &subject));
            (endpoint.unwrap_or_default(), "_gotcha".to_string(), None)
        }
        Provider::Mailchimp => {
            // Named after the audience of the real action, also in staging.
            let bot = mailchimp_bot_field(&published.unwrap_or_default());
            (endpoint.unwrap_or_default(), bot, None)
        }
        Provider::Generic => {
            hidden.push(h("_redirect", &thanks_abs));
            (endpoint.unwrap_or_default(), "_honey".to_string(), None)
        }
        Provider::Json | Provider::Hubspot => {
            (endpoint.unwrap_or_default(), "_honey".to_string(), None)
        }
        Provider::Kit => {
            // Tags as Kit's embed code sends its tag checkboxes.
            let tags = ids.kit.map(|k| k.tags).unwrap_or_default();
            hidden.extend(tags.iter().map(|t| h("tags[]", t)));
            (endpoint.unwrap_or_default(), "_honey".to_string(), None)
        }
        Provider::Brevo => {
            // As Brevo's own embed code sends them: its honeypot, the
            // language of its messages, and `html_type`.
            hidden.push(h("locale", &loc.lang.code));
            hidden.push(h("html_type", "simple"));
            (
                endpoint.unwrap_or_default(),
                "email_address_check".to_string(),
                None,
            )
        }
        Provider::Klaviyo => {
            let k = ids.klaviyo.unwrap_or_default();
            list = k.list_id;
            let mut action = endpoint.unwrap_or_default();
            if let Some(key) = k.public_key.filter(|_| !action.contains("company_id=")) {
                action.push(if action.contains('?') { '&' } else { '?' });
                action.push_str("company_id=");
                action.push_str(&key);
            }
            (action, "_honey".to_string(), None)
        }
    };

    let outcomes = super::outcomes::outcome_views(
        offer,
        provider,
        &super::outcomes::OutcomeContext {
            site: ctx.site,
            urls: ctx.urls,
            loc,
            card: ctx.card,
        },
    );
    // Without JavaScript the chosen outcome's button names the thank-you
    // page in place of the form's own redirect field.
    if !outcomes.is_empty() {
        hidden.retain(|h| !matches!(h.name.as_str(), "_redirect" | "_next"));
    }

    let field = |f: &Field| field_view(f, provider, &id);
    let (fields, steps) = if def.steps.is_empty() {
        let fields = if def.fields.is_empty() {
            vec![field(&default_email(loc))]
        } else {
            def.fields.iter().map(field).collect()
        };
        (fields, Vec::new())
    } else {
        let count = def.steps.len();
        let steps = def
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                number: i + 1,
                title: s.title.clone(),
                optional: s.optional,
                last: i + 1 == count,
                fields: s.fields.iter().map(field).collect(),
            })
            .collect();
        (Vec::new(), steps)
    };
    let site_consent = ctx.config.forms.consent.as_ref().map(|c| {
        if site_texts {
            c.clone()
        } else {
            loc.t("form_consent").to_string()
        }
    });
    let consent = def.consent.clone().or(site_consent).map(|text| {
        let (name, value) = match provider {
            Provider::Brevo => ("OPT_IN".to_string(), "1"),
            Provider::Kit => (vendor_name(provider, "consent"), "yes"),
            _ => ("consent".to_string(), "yes"),
        };
        ConsentView {
            id: format!("{id}-consent"),
            text,
            name,
            value: value.to_string(),
        }
    });
    // A quiz with outcomes shows its result in place: the outcome is the
    // thank-you (without JavaScript, the outcome's own thank-you page).
    let outcomes_empty = outcomes.is_empty();
    let on_success = if outcomes_empty {
        offer_def.on_success
    } else {
        OnSuccess::Inline
    };
    FormView {
        quiz: !steps.is_empty(),
        id,
        offer: offer.id.clone(),
        provider,
        action,
        thanks,
        name,
        honeypot,
        hidden,
        fields,
        steps,
        consent,
        submit: def
            .submit
            .clone()
            .unwrap_or_else(|| offer_def.cta_text().to_string()),
        success: ctx
            .config
            .forms
            .success
            .clone()
            .filter(|_| site_texts)
            .unwrap_or_else(|| loc.t("form_success").to_string()),
        error: loc.t("form_error").to_string(),
        list,
        needs_js: provider.needs_js(),
        outcomes_json: super::outcomes::outcomes_json(offer, provider),
        outcome_name: vendor_name(provider, "outcome"),
        outcomes,
        on_success: on_success.name(),
        thank_you: (on_success == OnSuccess::Inline && outcomes_empty).then(|| {
            let body = offer_def.thank_you.as_ref().and_then(|t| t.body.as_deref());
            let body = body.map(|b| crate::markdown::render(b).html);
            ThankYouView::new(offer, loc, ctx.urls, body.unwrap_or_default())
        }),
        time_trap,
        captcha: def
            .captcha
            .as_ref()
            .or(ctx.config.forms.captcha.as_ref())
            .map(|c| CaptchaView {
                class: c.provider.class(),
                site_key: c.site_key.clone(),
            }),
        lead: LeadView::new(offer),
    }
}

fn h(name: &str, value: &str) -> Hidden {
    Hidden {
        name: name.to_string(),
        value: value.to_string(),
        key: None,
    }
}

fn default_email(loc: &Locale) -> Field {
    Field {
        name: "email".into(),
        kind: FieldType::Email,
        label: Some(loc.t("email").to_string()),
        required: true,
        placeholder: Some(loc.t("email_placeholder").to_string()),
        options: Vec::new(),
        value: None,
        option_labels: Vec::new(),
    }
}

fn field_view(f: &Field, provider: Provider, form_id: &str) -> FieldView {
    let name = vendor_name(provider, &f.name);
    // `fields[first_name]` → `…-fields-first_name`: ids stay plain words.
    let id_part: String = f
        .name
        .replace(['[', ']'], "-")
        .trim_end_matches('-')
        .to_string();
    let id = format!("{form_id}-{id_part}");
    FieldView {
        options: f
            .options
            .iter()
            .enumerate()
            .map(|(i, v)| OptionView {
                id: format!("{id}-{}", i + 1),
                value: v.clone(),
                label: f.option_labels.get(i).unwrap_or(v).clone(),
            })
            .collect(),
        label: f.label.clone().unwrap_or_else(|| humanize(&f.name)),
        required: f.required,
        placeholder: f.placeholder.clone(),
        value: f.value.clone(),
        autocomplete: match base_name(&f.name) {
            "email" => Some("email"),
            "first_name" => Some("given-name"),
            "last_name" => Some("family-name"),
            "name" => Some("name"),
            "phone" | "tel" => Some("tel"),
            _ => None,
        },
        kind: f.kind,
        name,
        id,
    }
}

/// Mailchimp's bot field is named after the list: `b_<u>_<id>`.
fn mailchimp_bot_field(action: &str) -> String {
    let parsed = url::Url::parse(action).ok();
    let param = |key: &str| {
        parsed
            .as_ref()
            .and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.into_owned())
            })
            .unwrap_or_default()
    };
    format!("b_{}_{}", param("u"), param("id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendors_get_their_own_field_names() {
        assert_eq!(vendor_name(Provider::Kit, "email"), "email_address");
        assert_eq!(
            vendor_name(Provider::Kit, "first_name"),
            "fields[first_name]"
        );
        assert_eq!(vendor_name(Provider::Kit, "fields[x]"), "fields[x]");
        assert_eq!(vendor_name(Provider::Brevo, "first_name"), "FIRSTNAME");
        assert_eq!(vendor_name(Provider::Brevo, "utm_source"), "UTM_SOURCE");
        assert_eq!(vendor_name(Provider::Hubspot, "first_name"), "firstname");
        assert_eq!(vendor_name(Provider::Klaviyo, "first_name"), "first_name");
    }

    #[test]
    fn mailchimp_bot_field_comes_from_the_action() {
        assert_eq!(
            mailchimp_bot_field("https://x.us1.list-manage.com/subscribe/post?u=abc123&id=def456"),
            "b_abc123_def456"
        );
    }
}
