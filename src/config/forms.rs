//! Where submissions go and by whose conventions: the provider, the
//! vendors' ids, the captcha and the time trap, written in site.yaml
//! `forms:` and, over it, in an offer's `form:` (`content::form`).

use serde::{Deserialize, Serialize};

use crate::base::url::SafeUrl;
use crate::error::Invalid;

/// Where submissions go and by whose conventions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Any URL, urlencoded POST; `_redirect` names the thank-you page.
    #[default]
    Generic,
    /// An API that takes JSON (sent with fetch; urlencoded without JS).
    Json,
    /// Netlify Forms: data-netlify, form-name, netlify-honeypot.
    Netlify,
    /// Formspree: _gotcha, _next, _subject.
    Formspree,
    /// Mailchimp hosted forms: list-manage action, EMAIL/FNAME, bot field.
    Mailchimp,
    /// HubSpot's forms submission API (JSON only: `fields` and `context`).
    Hubspot,
    /// Kit (ConvertKit) hosted forms: `email_address`, `fields[…]`, tags.
    #[serde(alias = "convertkit")]
    Kit,
    /// Brevo form builder: sibforms.com action, EMAIL/FIRSTNAME, honeypot.
    Brevo,
    /// Klaviyo's client subscriptions API (JSON:API only).
    Klaviyo,
}

impl Provider {
    /// The vendor's name, for messages and docs.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Generic => "generic",
            Provider::Json => "JSON",
            Provider::Netlify => "Netlify",
            Provider::Formspree => "Formspree",
            Provider::Mailchimp => "Mailchimp",
            Provider::Hubspot => "HubSpot",
            Provider::Kit => "Kit",
            Provider::Brevo => "Brevo",
            Provider::Klaviyo => "Klaviyo",
        }
    }

    /// The vendor takes JSON only: without JavaScript (which builds the
    /// body, in the theme's `providers.js`) a visitor cannot submit.
    pub fn needs_js(self) -> bool {
        matches!(self, Provider::Hubspot | Provider::Klaviyo)
    }
}

/// An id written as a number or as text (`portal_id: 123456` or `"123456"`).
fn id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(IdText::deserialize(d)?.0))
}

/// One id, checked in the visit of the scalar so that serde_yaml locates a
/// refusal at the value and its fix reaches the diagnostic typed.
struct IdText(String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Id;
        impl<'de> serde::de::Visitor<'de> for Id {
            type Value = IdText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an id")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IdText, E> {
                id_of(v).map(IdText).map_err(Invalid::raise)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<IdText, E> {
                self.visit_str(&serde_yaml::Number::from(v).to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<IdText, E> {
                self.visit_str(&serde_yaml::Number::from(v).to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<IdText, E> {
                self.visit_str(&serde_yaml::Number::from(v).to_string())
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<IdText, E> {
                Err(not_an_id().raise())
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<IdText, E> {
                Err(not_an_id().raise())
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<IdText, E> {
                Err(not_an_id().raise())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<IdText, A::Error> {
                Err(not_an_id().raise())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<IdText, A::Error> {
                Err(not_an_id().raise())
            }
        }
        d.deserialize_any(Id)
    }
}

fn not_an_id() -> Invalid {
    Invalid::new(
        "",
        "an id is a number or a text, e.g. 123456",
        "copy the id from your mailing tool and write it as one value, e.g. portal_id: 123456",
    )
}

fn id_of(text: &str) -> Result<String, Invalid> {
    let text = text.trim().to_string();
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Invalid::new(
            text.as_str(),
            format!("the id `{text}` must be letters, digits, `-` or `_`"),
            "copy it from your mailing tool",
        ));
    }
    Ok(text)
}

fn id_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Vec::<IdText>::deserialize(d)?
        .into_iter()
        .map(|id| id.0)
        .collect())
}

/// HubSpot: the account (portal, hub) id and the form's GUID, both in the
/// form's address in HubSpot: `app.hubspot.com/forms/PORTAL/FORM_GUID/edit`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HubspotIds {
    #[serde(default, deserialize_with = "id_text")]
    pub portal_id: Option<String>,
    #[serde(default, deserialize_with = "id_text")]
    pub form_guid: Option<String>,
}

/// Kit: the form's id (in its embed code, `app.kit.com/forms/ID/subscriptions`)
/// and the ids of the tags every subscriber of the offer gets.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KitIds {
    #[serde(default, deserialize_with = "id_text")]
    pub form_id: Option<String>,
    #[serde(default, deserialize_with = "id_list")]
    pub tags: Vec<String>,
}

/// Klaviyo: the public API key (site id, `company_id`) and the list to subscribe to.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KlaviyoIds {
    #[serde(default, deserialize_with = "id_text")]
    pub public_key: Option<String>,
    #[serde(default, deserialize_with = "id_text")]
    pub list_id: Option<String>,
}

/// The vendor ids of site.yaml `forms:` and of an offer's `form:`, each id
/// of the offer taking the place of the site's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct VendorIds {
    pub hubspot: Option<HubspotIds>,
    pub kit: Option<KitIds>,
    pub klaviyo: Option<KlaviyoIds>,
}

impl VendorIds {
    /// `self` (an offer's) over `site`.
    pub fn over(&self, site: &VendorIds) -> VendorIds {
        fn pick<T: Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
            a.clone().or_else(|| b.clone())
        }
        let (h, sh) = (
            self.hubspot.clone().unwrap_or_default(),
            site.hubspot.clone().unwrap_or_default(),
        );
        let (k, sk) = (
            self.kit.clone().unwrap_or_default(),
            site.kit.clone().unwrap_or_default(),
        );
        let (y, sy) = (
            self.klaviyo.clone().unwrap_or_default(),
            site.klaviyo.clone().unwrap_or_default(),
        );
        VendorIds {
            hubspot: Some(HubspotIds {
                portal_id: pick(&h.portal_id, &sh.portal_id),
                form_guid: pick(&h.form_guid, &sh.form_guid),
            }),
            kit: Some(KitIds {
                form_id: pick(&k.form_id, &sk.form_id),
                tags: if k.tags.is_empty() { sk.tags } else { k.tags },
            }),
            klaviyo: Some(KlaviyoIds {
                public_key: pick(&y.public_key, &sy.public_key),
                list_id: pick(&y.list_id, &sy.list_id),
            }),
        }
    }
}

/// A challenge widget that proves a human is sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaptchaProvider {
    /// Cloudflare Turnstile: `<div class="cf-turnstile">`, sends `cf-turnstile-response`.
    Turnstile,
    /// hCaptcha: `<div class="h-captcha">`, sends `h-captcha-response`.
    Hcaptcha,
}

impl CaptchaProvider {
    /// The class of the widget's container, as the vendor documents it.
    pub fn class(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => "cf-turnstile",
            CaptchaProvider::Hcaptcha => "h-captcha",
        }
    }

    /// The vendor's script, which turns the container into the widget.
    pub fn script(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => "https://challenges.cloudflare.com/turnstile/v0/api.js",
            CaptchaProvider::Hcaptcha => "https://js.hcaptcha.com/1/api.js",
        }
    }

    /// What the Content-Security-Policy must allow, as the vendors list it
    /// (the script, the challenge's frame, its styles and requests).
    pub fn csp(self) -> &'static [(&'static str, &'static str)] {
        match self {
            CaptchaProvider::Turnstile => &[
                ("script-src", "https://challenges.cloudflare.com"),
                ("frame-src", "https://challenges.cloudflare.com"),
                ("connect-src", "https://challenges.cloudflare.com"),
            ],
            CaptchaProvider::Hcaptcha => &[
                ("script-src", "https://hcaptcha.com"),
                ("script-src", "https://*.hcaptcha.com"),
                ("frame-src", "https://hcaptcha.com"),
                ("frame-src", "https://*.hcaptcha.com"),
                ("style-src", "https://hcaptcha.com"),
                ("style-src", "https://*.hcaptcha.com"),
                ("connect-src", "https://hcaptcha.com"),
                ("connect-src", "https://*.hcaptcha.com"),
            ],
        }
    }
}

/// `captcha: { provider: turnstile, site_key: … }` of site.yaml `forms:`
/// or of an offer's `form:`. The endpoint checks the token with the secret key.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Captcha {
    pub provider: CaptchaProvider,
    /// The public site key (the secret key never goes into the site).
    #[serde(deserialize_with = "key_text")]
    pub site_key: String,
}

fn key_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    // Checked in the visit of the scalar: located at the value, the fix typed.
    crate::error::checked_str(d, "a string", |text| {
        let text = text.trim();
        if text.is_empty()
            || !text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Invalid::new(
                text,
                format!("the site key `{text}` must be letters, digits, `-` or `_`"),
                "copy the public site key from the vendor's dashboard",
            ));
        }
        Ok(text.to_string())
    })
}

/// A `time_trap` out of range, as a message; `None` when it is fine.
pub fn time_trap_problem(seconds: Option<f64>) -> Option<String> {
    let s = seconds?;
    (!(0.0..=60.0).contains(&s)).then(|| {
        format!("time_trap is {s}: write the seconds a human needs at least, from 0 (off) to 60, e.g. time_trap: 3")
    })
}

/// Seconds before which the script drops a submit when nothing says otherwise.
pub const DEFAULT_TIME_TRAP: f64 = 3.0;

/// Site-wide form defaults; each offer's `form:` can override them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FormsConfig {
    pub endpoint: Option<SafeUrl>,
    #[serde(default)]
    pub provider: Provider,
    /// Text of a required consent checkbox on every form.
    pub consent: Option<String>,
    /// Inline message after a successful submission (with JavaScript).
    pub success: Option<String>,
    /// HubSpot's portal id (and a form GUID for every offer that has none).
    pub hubspot: Option<HubspotIds>,
    /// Kit's form id and tags, for offers that name none.
    pub kit: Option<KitIds>,
    /// Klaviyo's public key and list id, for offers that name none.
    pub klaviyo: Option<KlaviyoIds>,
    /// Seconds a human needs at least: the script drops faster submits
    /// (default 3, 0 turns the time trap off).
    pub time_trap: Option<f64>,
    /// A Turnstile or hCaptcha widget on every form.
    pub captcha: Option<Captcha>,
    /// `--form-endpoint`: replaces every form's endpoint (not read from YAML).
    #[serde(skip)]
    pub endpoint_override: Option<SafeUrl>,
}

impl FormsConfig {
    pub fn vendor_ids(&self) -> VendorIds {
        VendorIds {
            hubspot: self.hubspot.clone(),
            kit: self.kit.clone(),
            klaviyo: self.klaviyo.clone(),
        }
    }
}

/// What a field of the offer is called at the vendor. A name written with
/// brackets (`fields[first_name]`) is the vendor's already and stays.
pub fn vendor_name(provider: Provider, name: &str) -> String {
    if name.contains('[') {
        return name.to_string();
    }
    match provider {
        // Mailchimp's merge tags.
        Provider::Mailchimp => match name {
            "email" => "EMAIL".to_string(),
            "first_name" => "FNAME".to_string(),
            "last_name" => "LNAME".to_string(),
            "phone" => "PHONE".to_string(),
            other => other.to_uppercase(),
        },
        // HubSpot's contact properties (internal names).
        Provider::Hubspot => match name {
            "first_name" => "firstname".to_string(),
            "last_name" => "lastname".to_string(),
            "phone" | "tel" => "phone".to_string(),
            other => other.to_string(),
        },
        // Kit: the address, then custom fields by key.
        Provider::Kit => match name {
            "email" => "email_address".to_string(),
            other => format!("fields[{other}]"),
        },
        // Brevo's contact attributes.
        Provider::Brevo => match name {
            "email" => "EMAIL".to_string(),
            "first_name" => "FIRSTNAME".to_string(),
            "last_name" => "LASTNAME".to_string(),
            "phone" | "tel" => "SMS".to_string(),
            other => other.to_uppercase(),
        },
        _ => name.to_string(),
    }
}
