//! Lead-capture forms as templates see them: the provider's conventions
//! (action, honeypot, redirect fields, field names) decided here, once.

use serde::Serialize;

use super::lang::Locale;
use super::views::Urls;
use crate::config::Config;
use crate::content::form::{Field, FieldType, Provider, TRACKING_FIELDS};
use crate::content::slug::humanize;
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
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsentView {
    pub id: String,
    pub text: String,
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
}

pub struct FormContext<'a> {
    pub config: &'a Config,
    pub urls: Urls<'a>,
    /// Path of the page the form is on (already base-path prefixed).
    pub page_path: &'a str,
    /// The page's language: the offer's text and the theme's strings in it.
    pub loc: &'a Locale<'a>,
    /// Distinguishes several forms of one offer on a page.
    pub instance: &'a str,
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
    let endpoint = endpoint_override.clone().or_else(|| {
        def.endpoint
            .as_ref()
            .or(ctx.config.forms.endpoint.as_ref())
            .map(|u| ctx.urls.link(&u.0))
    });
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
            let action = endpoint.unwrap_or_default();
            let bot = mailchimp_bot_field(&action);
            (action, bot, None)
        }
        Provider::Generic => {
            hidden.push(h("_redirect", &thanks_abs));
            (endpoint.unwrap_or_default(), "_honey".to_string(), None)
        }
        Provider::Json => (endpoint.unwrap_or_default(), "_honey".to_string(), None),
    };

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
    let consent = def
        .consent
        .clone()
        .or(site_consent)
        .map(|text| ConsentView {
            id: format!("{id}-consent"),
            text,
        });
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
    }
}

fn h(name: &str, value: &str) -> Hidden {
    Hidden {
        name: name.to_string(),
        value: value.to_string(),
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
    let name = match provider {
        // Mailchimp's merge tags.
        Provider::Mailchimp => match f.name.as_str() {
            "email" => "EMAIL".to_string(),
            "first_name" => "FNAME".to_string(),
            "last_name" => "LNAME".to_string(),
            "phone" => "PHONE".to_string(),
            other => other.to_uppercase(),
        },
        _ => f.name.clone(),
    };
    let id = format!("{form_id}-{}", f.name);
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
        autocomplete: match f.name.as_str() {
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
    fn mailchimp_bot_field_comes_from_the_action() {
        assert_eq!(
            mailchimp_bot_field("https://x.us1.list-manage.com/subscribe/post?u=abc123&id=def456"),
            "b_abc123_def456"
        );
    }
}
