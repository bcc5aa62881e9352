//! The lead-capture form of an offer, as written in its YAML: fields or
//! quiz steps, provider and endpoint.

use serde::{Deserialize, Serialize};

use crate::base::url::SafeUrl;
pub use crate::config::forms::{
    time_trap_problem, Captcha, CaptchaProvider, HubspotIds, KitIds, KlaviyoIds, Provider,
    VendorIds, DEFAULT_TIME_TRAP,
};

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
    /// HubSpot's portal id and form GUID (over site.yaml's `forms.hubspot`).
    pub hubspot: Option<HubspotIds>,
    /// Kit's form id and tags (over `forms.kit`).
    pub kit: Option<KitIds>,
    /// Klaviyo's public key and list id (over `forms.klaviyo`).
    pub klaviyo: Option<KlaviyoIds>,
    /// Seconds a human needs at least (over `forms.time_trap`).
    pub time_trap: Option<f64>,
    /// A Turnstile or hCaptcha widget (over `forms.captcha`).
    pub captcha: Option<Captcha>,
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
pub const RESERVED_FIELDS: [&str; 10] = [
    "offer",
    "variant",
    "stage",
    "page",
    "lang",
    "consent",
    "quiz_step",
    "partial",
    "outcome",
    "lander_fast",
];

/// `email`, `first-name`, or with bracketed parts as PHP-style backends
/// (Kit) want them: `fields[first_name]`, `tags[]`.
pub fn is_field_name(name: &str) -> bool {
    let word = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let (head, mut rest) = match name.find('[') {
        Some(i) => name.split_at(i),
        None => (name, ""),
    };
    if head.is_empty() || !word(head) {
        return false;
    }
    while !rest.is_empty() {
        let Some(end) = rest.find(']').filter(|_| rest.starts_with('[')) else {
            return false;
        };
        if !word(&rest[1..end]) {
            return false;
        }
        rest = &rest[end + 1..];
    }
    true
}

/// The name inside the last brackets (`fields[first_name]` → `first_name`),
/// else the name itself: what lander recognises a field by.
pub fn base_name(name: &str) -> &str {
    match name.rfind('[') {
        Some(i) if name.ends_with(']') && i + 2 < name.len() => &name[i + 1..name.len() - 1],
        _ => name,
    }
}

impl FormDef {
    /// The fields of every step, or the plain fields, or a single email.
    pub fn all_fields(&self) -> Vec<&Field> {
        if self.steps.is_empty() {
            self.fields.iter().collect()
        } else {
            self.steps.iter().flat_map(|s| s.fields.iter()).collect()
        }
    }

    pub fn vendor_ids(&self) -> VendorIds {
        VendorIds {
            hubspot: self.hubspot.clone(),
            kit: self.kit.clone(),
            klaviyo: self.klaviyo.clone(),
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
            if !is_field_name(name) {
                out.push(format!(
                    "the field name `{name}` must be letters, digits, `_` or `-`, with `[…]` parts as in `fields[first_name]` or `tags[]` (it is what your mailing tool receives)"
                ));
            }
            if RESERVED_FIELDS.contains(&base_name(name))
                || TRACKING_FIELDS.contains(&base_name(name))
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
        out.extend(time_trap_problem(self.time_trap));
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
    fn bracketed_names_are_accepted() {
        for ok in [
            "email",
            "first-name",
            "fields[first_name]",
            "tags[]",
            "a[b][c]",
        ] {
            assert!(is_field_name(ok), "{ok}");
        }
        for bad in ["", "a b", "[x]", "a[", "a]b", "a[b", "a[b c]", "a[]x"] {
            assert!(!is_field_name(bad), "{bad}");
        }
        assert_eq!(base_name("fields[first_name]"), "first_name");
        assert_eq!(base_name("tags[]"), "tags[]");
        assert_eq!(base_name("email"), "email");
        let f = form("fields: [{name: \"fields[first_name]\"}, {name: email, type: email}]\n");
        assert!(f.problems().is_empty(), "{:?}", f.problems());
    }

    #[test]
    fn vendor_ids_take_numbers_and_merge_over_the_site() {
        let site: VendorIds = serde_yaml::from_str(
            "hubspot: {portal_id: 123456}\nkit: {form_id: 42, tags: [7, 8]}\n",
        )
        .unwrap();
        let offer = form("hubspot: {form_guid: 0a1b-2c3d}\nkit: {tags: [9]}\n");
        let ids = offer.vendor_ids().over(&site);
        let h = ids.hubspot.unwrap();
        assert_eq!(h.portal_id.as_deref(), Some("123456"));
        assert_eq!(h.form_guid.as_deref(), Some("0a1b-2c3d"));
        let k = ids.kit.unwrap();
        assert_eq!(k.form_id.as_deref(), Some("42"));
        assert_eq!(k.tags, ["9"]);
        let e = serde_yaml::from_str::<FormDef>("hubspot: {portal_id: \"12/34\"}\n").unwrap_err();
        assert!(e.to_string().contains("must be letters"), "{e}");
        let e = serde_yaml::from_str::<FormDef>("hubspot: {portl_id: 1}\n").unwrap_err();
        assert!(e.to_string().contains("unknown field `portl_id`"), "{e}");
    }

    #[test]
    fn select_needs_options() {
        let f = form("fields: [{name: size, type: select}]\n");
        assert!(f.problems()[0].contains("options"));
    }

    #[test]
    fn refused_ids_and_keys_point_at_the_value_with_their_fix() {
        let diag = |yaml: &str| {
            crate::error::parse_yaml::<FormDef>(yaml)
                .unwrap_err()
                .diagnostic(std::path::Path::new("o.yaml"), yaml, 1)
                .to_string()
        };
        assert_eq!(
            diag("kit:\n  tags: [1, \"a b\"]\n"),
            "error: o.yaml:2:14: the id `a b` must be letters, digits, `-` or `_`\n  help: copy it from your mailing tool"
        );
        assert_eq!(
            diag("hubspot:\n  portal_id: [1]\n"),
            "error: o.yaml:2:14: an id is a number or a text, e.g. 123456\n  help: copy the id from your mailing tool and write it as one value, e.g. portal_id: 123456"
        );
        assert_eq!(
            diag("captcha: {provider: turnstile, site_key: \"x y\"}\n"),
            "error: o.yaml:1:43: the site key `x y` must be letters, digits, `-` or `_`\n  help: copy the public site key from the vendor's dashboard"
        );
        // Numbers are ids as written.
        let ids: FormDef = serde_yaml::from_str(
            "hubspot: {portal_id: 123456, form_guid: 0012}\nkit: {tags: [7, abc]}\n",
        )
        .unwrap();
        let hub = ids.hubspot.unwrap();
        assert_eq!(hub.portal_id.as_deref(), Some("123456"));
        assert_eq!(ids.kit.unwrap().tags, ["7", "abc"]);
        assert!(hub.form_guid.is_some());
    }
}
