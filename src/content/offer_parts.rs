//! The parts of an offer that its campaign (`campaign`) and its text use
//! too: the incentive, links, the call-to-action, the thank-you page and
//! what a lead is worth.

use serde::{Deserialize, Serialize};

use crate::base::url::SafeUrl;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncentiveType {
    Percent,
    Amount,
    FreeShipping,
    Content,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Incentive {
    #[serde(rename = "type")]
    pub kind: IncentiveType,
    pub value: Option<f64>,
    pub currency: Option<String>,
}

impl Incentive {
    /// Short text such as "10% off", "€10 off" or "Free shipping".
    pub fn label(&self) -> String {
        let value = self.value.unwrap_or(0.0);
        match self.kind {
            IncentiveType::Percent => format!("{} off", format_amount(value, None) + "%"),
            IncentiveType::Amount => {
                format!("{} off", format_amount(value, self.currency.as_deref()))
            }
            IncentiveType::FreeShipping => "Free shipping".into(),
            IncentiveType::Content => "Free".into(),
        }
    }
}

/// "€14.50", "$10", or "14.50 CHF" for currencies without a known symbol.
/// (Locale-aware formatting comes with multilingual sites.)
pub fn format_amount(value: f64, currency: Option<&str>) -> String {
    let number = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    };
    match currency {
        Some(code) => match currency_symbol(code) {
            Some(sym) => format!("{sym}{number}"),
            None => format!("{number} {code}"),
        },
        None => number,
    }
}

fn currency_symbol(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_uppercase().as_str() {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub text: String,
    pub url: SafeUrl,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cta {
    pub text: String,
    pub url: Option<SafeUrl>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThankYou {
    pub title: String,
    /// Markdown.
    pub body: Option<String>,
    pub next: Option<Link>,
}

/// What the visitor sees after a successful submit with JavaScript:
/// the offer's thank-you page, or its title, body and next step in place.
/// Without JavaScript the endpoint's redirect shows the page either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnSuccess {
    #[default]
    Page,
    Inline,
}

impl OnSuccess {
    pub fn name(self) -> &'static str {
        match self {
            OnSuccess::Page => "page",
            OnSuccess::Inline => "inline",
        }
    }
}

/// What a lead is worth, for the `value` and `currency` of the
/// conversion events (GA4 `generate_lead`, the Meta pixel's `Lead`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LeadValue {
    pub value: f64,
    pub currency: String,
}
