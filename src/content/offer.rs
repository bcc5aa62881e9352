//! Offers: `offers/<id>.yaml`, the thing a visitor trades an email for.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::campaign::{Personalize, Popup, Schedule, Variant};
use super::form::FormDef;
use super::front_matter::Stage;
pub use super::offer_parts::{
    format_amount, Cta, Incentive, IncentiveType, LeadValue, Link, OnSuccess, ThankYou,
};
use super::offer_text::{CtaText, OfferText};
use crate::base::key_lines::KeyLines;
use crate::base::text::closest;
use crate::error::{self, Diagnostic, Diagnostics};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    Discount,
    Guide,
    Quiz,
    Sample,
    Consultation,
    Newsletter,
}

/// The offer file's keys, strictly.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferDef {
    pub headline: String,
    pub subheadline: Option<String>,
    pub stage: Option<Stage>,
    pub kind: Option<OfferKind>,
    pub incentive: Option<Incentive>,
    #[serde(default)]
    pub benefits: Vec<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub cta: Option<Cta>,
    pub thank_you: Option<ThankYou>,
    /// With JavaScript: go to the thank-you page, or show it in place.
    #[serde(default)]
    pub on_success: OnSuccess,
    /// The worth of one lead; else the price of the offer's product.
    pub lead_value: Option<LeadValue>,
    #[serde(default)]
    pub form: FormDef,
    pub schedule: Option<Schedule>,
    #[serde(default)]
    pub variants: Vec<Variant>,
    /// The variant that won the A/B test: once the offer is loaded it is
    /// the only one in `variants` (the others stay in the file).
    pub winner: Option<String>,
    pub popup: Option<Popup>,
    /// An announcement bar at the top or bottom of the pages it matches.
    pub bar: Option<super::bar::Bar>,
    #[serde(default)]
    pub personalize: Vec<Personalize>,
    /// What a quiz recommends, by the answers (see `content/outcome.rs`).
    #[serde(default)]
    pub outcomes: Vec<super::outcome::Outcome>,
    /// The offer's text in other languages, by language code.
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, super::offer_text::OfferText>,
}

impl OfferDef {
    pub fn cta_text(&self) -> &str {
        self.cta
            .as_ref()
            .map_or(self.headline.as_str(), |c| c.text.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The file stem: `offers/spring-sale.yaml` → `spring-sale`.
    pub id: String,
    pub source: PathBuf,
    pub def: OfferDef,
    pub key_lines: KeyLines,
    /// The ids of every variant written in the file, in order, `winner`
    /// or not: what `lander report` compares.
    pub variant_ids: Vec<String>,
    /// `def` in each language of the site (index-aligned with
    /// `Site::languages`), set when the site is assembled.
    pub localized: Vec<OfferDef>,
    /// `lead_value`, else the price of the first product whose primary
    /// `offer` this is (set when the site is assembled).
    pub lead_value: Option<LeadValue>,
}

impl Offer {
    pub fn path(&self) -> String {
        format!("/offers/{}/", self.id)
    }

    pub fn thanks_path(&self) -> String {
        format!("/offers/{}/thanks/", self.id)
    }

    pub fn cta_text(&self) -> &str {
        self.def.cta_text()
    }

    /// The thank-you page of a quiz outcome: `/offers/ID/thanks/OUTCOME/`.
    pub fn outcome_path(&self, outcome: &str) -> String {
        format!("/offers/{}/thanks/{outcome}/", self.id)
    }

    pub fn outcome_path_in(&self, outcome: &str, lang: &crate::config::Language) -> String {
        lang.path(&self.outcome_path(outcome))
    }

    /// The offer in language `l` (its own text where not translated).
    pub fn def_in(&self, l: usize) -> &OfferDef {
        self.localized.get(l).unwrap_or(&self.def)
    }

    /// The landing page in a language: `/ar/offers/ID/`.
    pub fn path_in(&self, lang: &crate::config::Language) -> String {
        lang.path(&self.path())
    }

    pub fn thanks_path_in(&self, lang: &crate::config::Language) -> String {
        lang.path(&self.thanks_path())
    }

    /// Parses the text of `offers/<id>.yaml`.
    pub fn parse(id: &str, text: &str, source: &Path) -> Result<Offer, Diagnostics> {
        let key_lines = KeyLines::scan(text, 1);
        let def: OfferDef = error::parse_yaml(text).map_err(|e| e.diagnostic(source, text, 1))?;
        let mut offer = Offer {
            id: id.to_string(),
            source: source.to_path_buf(),
            variant_ids: def.variants.iter().map(|v| v.id.clone()).collect(),
            def,
            key_lines,
            localized: Vec::new(),
            lead_value: None,
        };
        offer.check()?;
        offer.lock_winner()?;
        Ok(offer)
    }

    /// With `winner: ID`, keeps only that variant, so that every later
    /// stage shows it and nothing else.
    fn lock_winner(&mut self) -> Result<(), Diagnostics> {
        let Some(winner) = self.def.winner.clone() else {
            return Ok(());
        };
        let at = self.key_lines.line("winner");
        if self.variant_ids.is_empty() {
            return Err(Diagnostic::error(format!(
                "`winner: {winner}` but the offer has no variants"
            ))
            .in_file(&self.source)
            .at(at, 1)
            .with_help("`winner` names one of the offer's `variants`; remove it, or add the variants it was tested against")
            .into());
        }
        if !self.variant_ids.contains(&winner) {
            let help = match closest(&winner, &self.variant_ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the variants are: {}", self.variant_ids.join(", ")),
            };
            return Err(
                Diagnostic::error(format!("the offer has no variant `{winner}`"))
                    .in_file(&self.source)
                    .at(at, 1)
                    .with_help(help)
                    .into(),
            );
        }
        self.def.variants.retain(|v| v.id == winner);
        Ok(())
    }

    fn check(&self) -> Result<(), Diagnostics> {
        let mut errs = Diagnostics::default();
        let at = |key: &str| self.key_lines.line(key);
        if let Err(msg) = crate::base::slug::check_written(&self.id) {
            errs.push(
                Diagnostic::error(format!("bad offer file name: {msg}")).in_file(&self.source),
            );
        }
        if self.def.headline.trim().is_empty() {
            errs.push(
                Diagnostic::error("`headline` is empty")
                    .in_file(&self.source)
                    .at(at("headline"), 1)
                    .with_help("write the promise of the offer, e.g. \"10% off your first order\""),
            );
        }
        if let Some(inc) = &self.def.incentive {
            let problem = match inc.kind {
                IncentiveType::Percent => match inc.value {
                    Some(v) if v > 0.0 && v <= 100.0 => None,
                    _ => Some("a percent incentive needs a value between 0 and 100 (value: 10)"),
                },
                IncentiveType::Amount => match (inc.value, &inc.currency) {
                    (Some(v), Some(_)) if v > 0.0 => None,
                    _ => Some("an amount incentive needs a positive value and a currency (value: 10, currency: EUR)"),
                },
                _ => None,
            };
            if let Some(help) = problem {
                errs.push(
                    Diagnostic::error("the incentive is incomplete")
                        .in_file(&self.source)
                        .at(at("incentive"), 1)
                        .with_help(help),
                );
            }
        }
        if let Some(v) = &self.def.lead_value {
            if !v.value.is_finite() || v.value < 0.0 || v.currency.trim().len() != 3 {
                errs.push(
                    Diagnostic::error("`lead_value` is incomplete")
                        .in_file(&self.source)
                        .at(at("lead_value"), 1)
                        .with_help("write what one lead is worth and its ISO 4217 currency: lead_value: { value: 20, currency: EUR }"),
                );
            }
        }
        if self.def.image.is_some() && self.def.image_alt.is_none() {
            errs.push(
                Diagnostic::error("`image` has no `image_alt`")
                    .in_file(&self.source)
                    .at(at("image"), 1)
                    .with_help("describe the image with image_alt: …"),
            );
        }
        for (n, p) in super::outcome::problems(&self.def.outcomes, &self.def.form) {
            let line = match n {
                Some(n) => self.key_lines.item_line("outcomes", n),
                None => at("outcomes"),
            };
            errs.push(
                Diagnostic::error(p)
                    .in_file(&self.source)
                    .at(line, 1)
                    .with_help("fix `outcomes:` in this offer; the keys are id, product | offer | page, title, body, when, default (content/offers.md)"),
            );
        }
        let mut problem = |key: &str, msg: String| {
            errs.push(
                Diagnostic::error(msg)
                    .in_file(&self.source)
                    .at(at(key), 1)
                    .with_help(format!("fix `{key}:` in this offer; every key is described in the docs (content/offers.md)")),
            )
        };
        for p in self.def.form.problems() {
            problem("form", p);
        }
        let mut ids: Vec<&str> = Vec::new();
        for v in &self.def.variants {
            if v.id.is_empty()
                || !v
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                problem(
                    "variants",
                    format!(
                        "the variant id `{}` must be letters, digits, `-` or `_`",
                        v.id
                    ),
                );
            }
            if ids.contains(&v.id.as_str()) {
                problem(
                    "variants",
                    format!("the variant id `{}` appears twice", v.id),
                );
            }
            ids.push(&v.id);
            if v.weight == 0 {
                problem(
                    "variants",
                    format!(
                        "the variant `{}` has weight 0; remove it or give it a weight",
                        v.id
                    ),
                );
            }
        }
        if self.def.variants.len() == 1 {
            problem("variants", "an A/B test needs at least two variants".into());
        }
        if let Some(p) = &self.def.popup {
            for glob in &p.pages {
                if let Err(e) = globset::Glob::new(glob) {
                    problem(
                        "popup",
                        format!("the page pattern `{glob}` is not a valid glob: {e}"),
                    );
                }
            }
            if p.scroll > 100 {
                problem(
                    "popup",
                    format!(
                        "scroll: {} is a percentage and must be at most 100",
                        p.scroll
                    ),
                );
            }
        }
        if let Some(p) = &self.def.popup {
            if p.trigger == super::campaign::Trigger::None {
                problem(
                    "popup",
                    "`trigger: none` would never show the popup; use `mobile: none` to keep it off phones, or remove `popup` (a `cta` with `open: popup` needs none)".into(),
                );
            }
        }
        if let Some(b) = &self.def.bar {
            for glob in &b.pages {
                if let Err(e) = globset::Glob::new(glob) {
                    problem(
                        "bar",
                        format!("the page pattern `{glob}` is not a valid glob: {e}"),
                    );
                }
            }
        }
        if let Some(s) = &self.def.schedule {
            if let (Some(a), Some(b)) = (&s.starts, &s.ends) {
                if b <= a {
                    problem("schedule", "the schedule ends before it starts".into());
                }
            }
            if s.countdown && s.ends.is_none() {
                problem("schedule", "a countdown needs `ends`".into());
            }
        }
        for (code, text) in &self.def.translations {
            for p in problems(&self.def, text) {
                problem("translations", format!("translations.{code}: {p}"));
            }
        }
        for rule in &self.def.personalize {
            if rule.matches().is_empty() {
                problem(
                    "personalize",
                    "each personalize rule needs at least one utm_* key to match".into(),
                );
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Offer, Diagnostics> {
        Offer::parse("spring", text, Path::new("offers/spring.yaml"))
    }

    #[test]
    fn parses_a_full_offer() {
        let o = parse(
            "headline: Ten off\nstage: bofu\nkind: discount\nincentive: {type: amount, value: 10, currency: EUR}\ncta: {text: Shop now}\n",
        )
        .unwrap();
        assert_eq!(o.def.incentive.as_ref().unwrap().label(), "€10 off");
        assert_eq!(o.cta_text(), "Shop now");
        assert_eq!(o.path(), "/offers/spring/");
    }

    #[test]
    fn amounts_are_formatted() {
        assert_eq!(format_amount(14.5, Some("EUR")), "€14.50");
        assert_eq!(format_amount(10.0, Some("USD")), "$10");
        assert_eq!(format_amount(3.0, Some("CHF")), "3 CHF");
    }

    #[test]
    fn javascript_cta_is_refused_at_its_line() {
        let e = parse("headline: H\ncta:\n  text: Go\n  url: javascript:alert(1)\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(4));
        assert!(e.0[0].message.contains("javascript"));
    }

    #[test]
    fn wrong_kind_names_the_choices() {
        let e = parse("headline: H\nkind: coupon\n").unwrap_err();
        assert!(e.0[0].message.contains("unknown variant `coupon`"), "{}", e);
        assert_eq!(e.0[0].line, Some(2));
    }

    const AB: &str = "headline: H\nvariants:\n  - { id: percent, headline: \"10% off\" }\n  - { id: amount, headline: \"€10 off\" }\n";

    #[test]
    fn winner_keeps_only_its_variant() {
        let o = parse(&format!("{AB}winner: amount\n")).unwrap();
        let ids: Vec<&str> = o.def.variants.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["amount"]);
        assert_eq!(o.variant_ids, ["percent", "amount"]);
        assert_eq!(o.def.variants[0].headline.as_deref(), Some("€10 off"));
        let all = parse(AB).unwrap();
        assert_eq!(all.def.variants.len(), 2);
    }

    #[test]
    fn unknown_winner_is_located_with_a_suggestion() {
        let e = parse(&format!("{AB}winner: amout\n")).unwrap_err();
        assert_eq!(e.0[0].line, Some(5));
        assert!(e.0[0].message.contains("no variant `amout`"), "{e}");
        assert_eq!(e.0[0].help.as_deref(), Some("did you mean `amount`?"));
        let e = parse("headline: H\nwinner: a\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(2));
        assert!(e.0[0].message.contains("no variants"), "{e}");
    }

    #[test]
    fn placement_mistakes_are_located() {
        let e = parse("headline: H\npopup:\n  trigger: none\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(2));
        assert!(e.0[0].message.contains("never show"), "{e}");
        let e = parse("headline: H\nbar:\n  pages: [\"/blog/[\"]\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(2));
        assert!(e.0[0].message.contains("not a valid glob"), "{e}");
        let o = parse("headline: H\npopup: { trigger: exit-intent }\nbar: {}\n").unwrap();
        let popup = o.def.popup.as_ref().unwrap();
        assert_eq!(
            popup.mobile_trigger(),
            super::super::campaign::Trigger::ScrollUp
        );
        assert_eq!(o.def.bar.as_ref().unwrap().frequency_days, 7);
    }

    const QUIZ: &str = "headline: Q\nkind: quiz\nform:\n  steps:\n    - title: A\n      fields: [{name: email, type: email}]\n    - title: B\n      fields: [{name: taste, type: radio, options: [Fruity, Mild]}]\noutcomes:\n  - id: fruity\n    product: a\n    title: Fruity\n    when: {taste: Fruty}\n  - {id: mild, product: b, title: Mild, default: true}\n";

    #[test]
    fn outcome_mistakes_name_the_outcome_line() {
        let e = parse(QUIZ).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].line, Some(10), "{e}");
        assert!(e.0[0].message.contains("did you mean \"Fruity\"?"), "{e}");
        let ok = QUIZ.replace("Fruty", "Fruity");
        let o = parse(&ok).unwrap();
        assert_eq!(o.outcome_path("mild"), "/offers/spring/thanks/mild/");
        let typo = format!("{ok}translations:\n  ar:\n    outcomes:\n      mld: {{title: x}}\n");
        let e = parse(&typo).unwrap_err();
        assert!(
            e.0[0].message.contains("no outcome `mld` to translate"),
            "{e}"
        );
        let text =
            format!("{ok}translations:\n  ar:\n    outcomes:\n      mild: {{title: معتدل}}\n");
        let o = parse(&text).unwrap();
        let ar = super::localize(&o.def, &o.def.translations["ar"]);
        assert_eq!(ar.outcomes[1].title, "معتدل");
        assert_eq!(ar.outcomes[0].title, "Fruity");
    }

    #[test]
    fn percent_needs_value() {
        let e = parse("headline: H\nincentive: {type: percent}\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(2));
    }
}
