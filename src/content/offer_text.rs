//! `translations:` of an offer: every human-readable text of the offer, per
//! language. What is not translated falls back to the offer's own text;
//! what is translated must match the offer (field names, variant ids,
//! number of steps and options), so that a typo is an error, not English
//! text shown silently on an Arabic page.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::offer::{Cta, Link, OfferDef, ThankYou};
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

fn set<T: Clone>(target: &mut T, value: &Option<T>) {
    if let Some(v) = value {
        *target = v.clone();
    }
}

fn set_opt<T: Clone>(target: &mut Option<T>, value: &Option<T>) {
    if value.is_some() {
        *target = value.clone();
    }
}

fn merge_cta(cta: &mut Option<Cta>, text: &Option<CtaText>) {
    let Some(t) = text else { return };
    match cta {
        Some(c) => {
            set(&mut c.text, &t.text);
            set_opt(&mut c.url, &t.url);
        }
        None => {
            if let Some(txt) = &t.text {
                *cta = Some(Cta {
                    text: txt.clone(),
                    url: t.url.clone(),
                });
            }
        }
    }
}

/// The offer as shown in a language: its text replaced by the translation.
pub fn localize(def: &OfferDef, text: &OfferText) -> OfferDef {
    let mut out = def.clone();
    out.translations.clear();
    set(&mut out.headline, &text.headline);
    set_opt(&mut out.subheadline, &text.subheadline);
    set(&mut out.benefits, &text.benefits);
    set_opt(&mut out.image_alt, &text.image_alt);
    merge_cta(&mut out.cta, &text.cta);
    if let Some(t) = &text.thank_you {
        let ty = out.thank_you.get_or_insert_with(|| ThankYou {
            title: String::new(),
            body: None,
            next: None,
        });
        set(&mut ty.title, &t.title);
        set_opt(&mut ty.body, &t.body);
        set_opt(&mut ty.next, &t.next);
    }
    if let Some(f) = &text.form {
        set_opt(&mut out.form.submit, &f.submit);
        set_opt(&mut out.form.consent, &f.consent);
        set_opt(&mut out.form.subject, &f.subject);
        let fields = out
            .form
            .fields
            .iter_mut()
            .chain(out.form.steps.iter_mut().flat_map(|s| s.fields.iter_mut()));
        for field in fields {
            if let Some(t) = f.fields.get(&field.name) {
                set_opt(&mut field.label, &t.label);
                set_opt(&mut field.placeholder, &t.placeholder);
                if let Some(labels) = &t.options {
                    field.option_labels = labels.clone();
                }
            }
        }
        for (step, t) in out.form.steps.iter_mut().zip(&f.steps) {
            step.title = t.title.clone();
        }
    }
    for v in &mut out.variants {
        if let Some(t) = text.variants.get(&v.id) {
            set_opt(&mut v.headline, &t.headline);
            set_opt(&mut v.subheadline, &t.subheadline);
            merge_cta(&mut v.cta, &t.cta);
        }
    }
    for (rule, t) in out.personalize.iter_mut().zip(&text.personalize) {
        set_opt(&mut rule.headline, &t.headline);
        set_opt(&mut rule.incentive, &t.incentive);
    }
    for o in &mut out.outcomes {
        if let Some(t) = text.outcomes.get(&o.id) {
            set(&mut o.title, &t.title);
            set_opt(&mut o.body, &t.body);
            if o.page.is_some() {
                set_opt(&mut o.page, &t.page);
            }
        }
    }
    out
}

/// What in a translation does not match the offer.
pub fn problems(def: &OfferDef, text: &OfferText) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(f) = &text.form {
        let fields = def.form.all_fields();
        for (name, t) in &f.fields {
            match fields.iter().find(|x| x.name == *name) {
                None => {
                    let names: Vec<String> = fields.iter().map(|x| x.name.clone()).collect();
                    let help = match crate::base::text::closest(name, &names) {
                        Some(best) => format!(" (did you mean `{best}`?)"),
                        None => String::new(),
                    };
                    out.push(format!("the form has no field `{name}` to translate{help}"));
                }
                Some(field) => {
                    if let Some(opts) = &t.options {
                        if opts.len() != field.options.len() {
                            out.push(format!(
                                "the field `{name}` has {} options but its translation has {}; translate each option, in order",
                                field.options.len(),
                                opts.len()
                            ));
                        }
                    }
                }
            }
        }
        if f.steps.len() > def.form.steps.len() {
            out.push(format!(
                "the translation has {} quiz steps but the form has {}",
                f.steps.len(),
                def.form.steps.len()
            ));
        }
    }
    for id in text.variants.keys() {
        if !def.variants.iter().any(|v| v.id == *id) {
            out.push(format!("the offer has no variant `{id}` to translate"));
        }
    }
    for (id, t) in &text.outcomes {
        match def.outcomes.iter().find(|o| o.id == *id) {
            None => out.push(format!("the offer has no outcome `{id}` to translate")),
            Some(o) if t.page.is_some() && o.page.is_none() => out.push(format!(
                "the outcome `{id}` points at a product or offer, not a page: remove `page` from its translation"
            )),
            Some(_) => {}
        }
    }
    if text.personalize.len() > def.personalize.len() {
        out.push(format!(
            "the translation has {} personalize rules but the offer has {}",
            text.personalize.len(),
            def.personalize.len()
        ));
    }
    out
}
