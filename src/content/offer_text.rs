//! `translations:` of an offer: every human-readable text of the offer, per
//! language. What is not translated falls back to the offer's own text;
//! what is translated must match the offer (field names, variant ids,
//! number of steps and options), so that a typo is an error, not English
//! text shown silently on an Arabic page. Its types are here; the offer
//! localizes itself with them and checks them (`offer::localize`,
//! `offer::problems`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::offer_parts::Link;
use crate::base::url::SafeUrl;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferText {
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub benefits: Option<Vec<String>>,
    pub image_alt: Option<String>,
    pub cta: Option<CtaText>,
    pub thank_you: Option<ThankYouText>,
    pub form: Option<FormText>,
    /// By variant id.
    #[serde(default)]
    pub variants: BTreeMap<String, VariantText>,
    /// In the order of the offer's `personalize` rules.
    #[serde(default)]
    pub personalize: Vec<PersonalizeText>,
    /// Quiz outcomes, by outcome id.
    #[serde(default)]
    pub outcomes: BTreeMap<String, super::outcome::OutcomeText>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CtaText {
    pub text: Option<String>,
    /// A page in this language, e.g. /ar/products/.
    pub url: Option<SafeUrl>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThankYouText {
    pub title: Option<String>,
    /// Markdown.
    pub body: Option<String>,
    pub next: Option<Link>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormText {
    pub submit: Option<String>,
    pub consent: Option<String>,
    pub subject: Option<String>,
    /// By field name.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldText>,
    /// Quiz step titles, in order.
    #[serde(default)]
    pub steps: Vec<StepText>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldText {
    pub label: Option<String>,
    pub placeholder: Option<String>,
    /// Shown instead of the options; the values sent stay the offer's own,
    /// so the mailing tool sees one set of answers whatever the language.
    pub options: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepText {
    pub title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantText {
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub cta: Option<CtaText>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalizeText {
    pub headline: Option<String>,
    pub incentive: Option<String>,
}
