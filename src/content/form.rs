//! The lead-capture form of an offer, as written in its YAML: fields or
//! quiz steps, provider and endpoint.

use serde::{Deserialize, Serialize};

use super::url::SafeUrl;

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Email,
    Text,
    Tel,
    Textarea,
    Select,
    Radio,
    Checkbox,
    Hidden,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type", default = "default_type")]
    pub kind: FieldType,
    pub label: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub placeholder: Option<String>,
    #[serde(default)]
    pub options: Vec<String>,
    /// Fixed value of a hidden field.
    pub value: Option<String>,
    /// Text shown for each option in the page's language (set from an
    /// offer's `translations:`; the values sent stay `options`).
    #[serde(skip)]
    pub option_labels: Vec<String>,
}

fn default_type() -> FieldType {
    FieldType::Text
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    /// Can be skipped.
    #[serde(default)]
    pub optional: bool,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    pub endpoint: Option<SafeUrl>,
    pub provider: Option<Provider>,
    /// Submit button text.
    pub submit: Option<String>,
    /// Formspree's `_subject`.
    pub subject: Option<String>,
    /// Text of a required consent checkbox.
    pub consent: Option<String>,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// What the script fills in from the visitor's landing (kept for the session).
pub const TRACKING_FIELDS: [&str; 6] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "referrer",
];

/// Names lander sets itself (with [`TRACKING_FIELDS`]): a field may not take them.
pub const RESERVED_FIELDS: [&str; 8] = [
    "offer",
    "variant",
    "stage",
    "page",
    "lang",
    "consent",
    "quiz_step",
    "partial",
];

impl FormDef {
    /// The fields of every step, or the plain fields, or a single email.
    pub fn all_fields(&self) -> Vec<&Field> {
        if self.steps.is_empty() {
            self.fields.iter().collect()
        } else {
            self.steps.iter().flat_map(|s| s.fields.iter()).collect()
        }
    }

    /// Problems a type cannot express; each is (key, message, fix).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.fields.is_empty() && !self.steps.is_empty() {
            out.push("a form has either `fields` or quiz `steps`, not both; put the fields into the steps".into());
        }
        let mut seen: Vec<&str> = Vec::new();
        for f in self.all_fields() {
            let name = f.name.as_str();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                out.push(format!(
                    "the field name `{name}` must be letters, digits, `_` or `-` (it is what your mailing tool receives)"
                ));
            }
            if RESERVED_FIELDS.contains(&name)
                || TRACKING_FIELDS.contains(&name)
                || name.starts_with('_')
            {
                out.push(format!(
                    "the field name `{name}` is set by lander itself; choose another name"
                ));
            }
            if seen.contains(&name) {
                out.push(format!(
                    "the field `{name}` appears twice; field names must be unique"
                ));
            }
            seen.push(name);
            let needs_options = matches!(f.kind, FieldType::Select | FieldType::Radio);
            if needs_options && f.options.is_empty() {
                out.push(format!("the field `{name}` needs `options: [...]`"));
            }
            if !needs_options && !f.options.is_empty() {
                out.push(format!(
                    "the field `{name}` has options but is not a select or radio field"
                ));
            }
            if f.kind == FieldType::Hidden && f.value.is_none() {
                out.push(format!("the hidden field `{name}` needs a `value`"));
            }
        }
        if let Some(first) = self.steps.first() {
            if !first.fields.iter().any(|f| f.kind == FieldType::Email) {
                out.push("the first quiz step must ask for the email, so that an abandoned quiz still yields the lead".into());
            }
            if first.optional {
                out.push("the first quiz step cannot be optional".into());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(yaml: &str) -> FormDef {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn quiz_must_start_with_email() {
        let f = form(
            "steps:\n  - title: A\n    fields: [{name: taste, type: radio, options: [a, b]}]\n",
        );
        assert!(f.problems().iter().any(|p| p.contains("first quiz step")));
    }

    #[test]
    fn reserved_and_duplicate_names_are_refused() {
        let f = form(
            "fields: [{name: offer}, {name: email, type: email}, {name: email, type: email}]\n",
        );
        let p = f.problems();
        assert!(p.iter().any(|m| m.contains("set by lander")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("twice")), "{p:?}");
    }

    #[test]
    fn select_needs_options() {
        let f = form("fields: [{name: size, type: select}]\n");
        assert!(f.problems()[0].contains("options"));
    }
}
