//! Quiz outcomes: `outcomes:` of an offer whose form has quiz `steps`. Each
//! outcome names what the quiz recommends (a product, an offer or a page)
//! and `when` it applies; the first outcome whose conditions all hold is
//! the result, else the one marked `default: true`.
//!
//! First match on a list of conditions, rather than points per answer:
//! the marketer reads the list top to bottom and knows which answers lead
//! where, and the same rule runs in the browser (the theme's `quiz.js`) and
//! in the tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::form::{FieldType, FormDef};

/// The answers a condition accepts: one option, or a list of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers(pub Vec<String>);

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Checked in the visit of each value, so that serde_yaml locates a
        // refusal at it and its fix reaches the diagnostic typed.
        struct One;
        struct List;
        fn refused() -> crate::error::Invalid {
            crate::error::Invalid::new(
                "",
                "a condition is an option of the field, or a list of options: `intent: \"Pasta\"` or `intent: [\"Pasta\", \"Soups\"]`",
                "write one option of the field, or a list of its options",
            )
        }
        macro_rules! scalars {
            ($wrap:expr) => {
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                    Ok($wrap(v.to_string()))
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                    Ok($wrap(serde_yaml::Number::from(v).to_string()))
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                    Ok($wrap(serde_yaml::Number::from(v).to_string()))
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                    Ok($wrap(serde_yaml::Number::from(v).to_string()))
                }
                fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                    Ok($wrap(v.to_string()))
                }
                fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                    Err(refused().raise())
                }
                fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                    Err(refused().raise())
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    _: A,
                ) -> Result<Self::Value, A::Error> {
                    Err(refused().raise())
                }
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an option or a list of options")
                }
            };
        }
        struct Item(String);
        impl<'de> serde::de::Deserialize<'de> for Item {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(One)
            }
        }
        impl<'de> serde::de::Visitor<'de> for One {
            type Value = Item;
            scalars!(Item);
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Item, A::Error> {
                Err(refused().raise())
            }
        }
        impl<'de> serde::de::Visitor<'de> for List {
            type Value = Answers;
            scalars!(|s| Answers(vec![s]));
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut items: A,
            ) -> Result<Answers, A::Error> {
                let mut all = Vec::new();
                while let Some(Item(s)) = items.next_element()? {
                    all.push(s);
                }
                Ok(Answers(all))
            }
        }
        d.deserialize_any(List)
    }
}

/// One outcome as written in the offer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Sent with the lead as `outcome=ID`; names the thank-you page
    /// `/offers/OFFER/thanks/ID/`.
    pub id: String,
    /// The slug of the product recommended.
    pub product: Option<String>,
    /// The id of the offer recommended.
    pub offer: Option<String>,
    /// A page of the site, e.g. `/guides/pairing/`.
    pub page: Option<String>,
    /// The result's heading, e.g. "Your match: Early Harvest".
    pub title: String,
    /// Markdown shown under the title.
    pub body: Option<String>,
    /// Field name → the answers that lead here (all fields must match).
    #[serde(default)]
    pub when: BTreeMap<String, Answers>,
    /// The result when no other outcome matches (exactly one has it).
    #[serde(default)]
    pub default: bool,
}

/// What an outcome points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Product(&'a str),
    Offer(&'a str),
    Page(&'a str),
}

impl Outcome {
    /// The one target (checked by [`problems`]).
    pub fn target(&self) -> Option<Target<'_>> {
        match (&self.product, &self.offer, &self.page) {
            (Some(p), None, None) => Some(Target::Product(p)),
            (None, Some(o), None) => Some(Target::Offer(o)),
            (None, None, Some(p)) => Some(Target::Page(p)),
            _ => None,
        }
    }

    /// Whether the answers (field name → value sent) lead here.
    pub fn matches(&self, answers: &BTreeMap<&str, &str>) -> bool {
        self.when.iter().all(|(field, ok)| {
            answers
                .get(field.as_str())
                .is_some_and(|a| ok.0.iter().any(|v| v == a))
        })
    }
}

/// The outcome for these answers: the first that matches, else the default.
pub fn choose<'a>(outcomes: &'a [Outcome], answers: &BTreeMap<&str, &str>) -> Option<&'a Outcome> {
    outcomes
        .iter()
        .find(|o| !o.default && o.matches(answers))
        .or_else(|| outcomes.iter().find(|o| o.default))
}

/// What an outcome's text is in another language (`translations.LANG.outcomes.ID`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeText {
    pub title: Option<String>,
    pub body: Option<String>,
    /// The page in this language, e.g. /ar/guides/pairing/.
    pub page: Option<String>,
}

/// Mistakes in `outcomes`, as (index of the outcome, message); `None`
/// for the list as a whole.
pub fn problems(outcomes: &[Outcome], form: &FormDef) -> Vec<(Option<usize>, String)> {
    let mut out = Vec::new();
    if outcomes.is_empty() {
        return out;
    }
    if form.steps.is_empty() {
        out.push((
            None,
            "outcomes belong to a quiz: give the offer a `form` with `steps`".into(),
        ));
    }
    let fields = form.all_fields();
    let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    let mut ids: Vec<&str> = Vec::new();
    for (n, o) in outcomes.iter().enumerate() {
        let mut say = |msg: String| out.push((Some(n), msg));
        if o.id.is_empty()
            || !o
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            say(format!(
                "the outcome id `{}` must be lowercase letters, digits, `-` or `_` (it is sent as `outcome=` and names its thank-you page)",
                o.id
            ));
        }
        if ids.contains(&o.id.as_str()) {
            say(format!("the outcome id `{}` appears twice", o.id));
        }
        ids.push(&o.id);
        if o.title.trim().is_empty() {
            say(format!("the outcome `{}` has an empty `title`", o.id));
        }
        if o.target().is_none() {
            say(format!(
                "the outcome `{}` needs exactly one of `product: SLUG`, `offer: ID` or `page: /PATH/`",
                o.id
            ));
        }
        if let Some(page) = &o.page {
            if !page.starts_with('/') || page.starts_with("//") {
                say(format!(
                    "the outcome `{}`: `page: {page}` must be a path of the site, e.g. /guides/pairing/",
                    o.id
                ));
            }
        }
        if o.default && !o.when.is_empty() {
            say(format!(
                "the default outcome `{}` applies when nothing else matches: remove its `when`",
                o.id
            ));
        }
        if !o.default && o.when.is_empty() {
            say(format!(
                "the outcome `{}` has no `when`: say which answers lead to it, or make it the `default: true`",
                o.id
            ));
        }
        for (name, answers) in &o.when {
            let Some(field) = fields.iter().find(|f| f.name == *name) else {
                let help = match crate::base::text::closest(name, &names) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("the fields are: {}", names.join(", ")),
                };
                say(format!(
                    "the outcome `{}`: the quiz has no field `{name}` ({help})",
                    o.id
                ));
                continue;
            };
            if !matches!(field.kind, FieldType::Radio | FieldType::Select) {
                say(format!(
                    "the outcome `{}`: `{name}` is not a radio or select field; conditions test the options of one",
                    o.id
                ));
                continue;
            }
            for a in &answers.0 {
                if !field.options.contains(a) {
                    let help = match crate::base::text::closest(a, &field.options) {
                        Some(best) => format!("did you mean \"{best}\"?"),
                        None => format!("its options are: {}", field.options.join(" | ")),
                    };
                    say(format!(
                        "the outcome `{}`: \"{a}\" is not an option of `{name}` ({help})",
                        o.id
                    ));
                }
            }
        }
    }
    match outcomes.iter().filter(|o| o.default).count() {
        1 => {}
        0 => out.push((
            None,
            "no outcome is the `default: true`: say what the quiz recommends when no condition matches".into(),
        )),
        _ => out.push((None, "only one outcome can be the `default: true`".into())),
    }
    out
}

/// The products, offers and pages outcomes point at exist (a page in each
/// language where a translation names one); errors name the outcome's line.
pub fn check_targets(
    offers: &[super::Offer],
    pages: &[super::Page],
    products: &[&str],
    broken: &super::files::Broken,
    errs: &mut crate::error::Diagnostics,
) {
    use crate::base::text::closest;
    use crate::error::Diagnostic;
    let offer_ids: Vec<String> = offers.iter().map(|o| o.id.clone()).collect();
    let page_paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
    let product_list: Vec<String> = products.iter().map(|s| s.to_string()).collect();
    let suggest = |typo: &str, known: &[String]| match closest(typo, known) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the site has: {}", known.join(", ")),
    };
    for o in offers {
        // The default language and each translation (a translated page).
        let defs = std::iter::once(&o.def).chain(o.localized.iter());
        let mut seen: Vec<String> = Vec::new();
        for def in defs {
            for (n, out) in def.outcomes.iter().enumerate() {
                let at = o.key_lines.item_line("outcomes", n);
                let (what, known, ok, help) = match out.target() {
                    Some(Target::Product(slug)) => (
                        format!("product `{slug}`"),
                        &product_list,
                        products.contains(&slug) || broken.products.iter().any(|b| b == slug),
                        "write the slug of a file of content/products/",
                    ),
                    Some(Target::Offer(id)) => (
                        format!("offer `{id}`"),
                        &offer_ids,
                        (offer_ids.iter().any(|i| i == id) && id != o.id)
                            || broken.offers.iter().any(|b| b == id),
                        "name another offer of offers/",
                    ),
                    Some(Target::Page(path)) => {
                        let bare = path.split(['#', '?']).next().unwrap_or_default();
                        (
                            format!("page `{path}`"),
                            &page_paths,
                            page_paths.iter().any(|p| p == bare)
                                || offers.iter().any(|x| x.path() == bare),
                            "write the URL path of a page of the site, e.g. /about/",
                        )
                    }
                    None => continue,
                };
                if ok || seen.contains(&what) {
                    continue;
                }
                let typo = what.split('`').nth(1).unwrap_or_default();
                errs.push(
                    Diagnostic::error(format!(
                        "the outcome `{}` points at the {what}, which the site does not have",
                        out.id
                    ))
                    .in_file(&o.source)
                    .at(at, 1)
                    .with_help(format!("{help}; {}", suggest(typo, known))),
                );
                seen.push(what);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> FormDef {
        serde_yaml::from_str(
            "steps:\n  - title: A\n    fields: [{name: email, type: email}]\n  - title: B\n    fields: [{name: taste, type: radio, options: [Fruity, Bitter, Mild]}, {name: note}]\n",
        )
        .unwrap()
    }

    fn outcomes(yaml: &str) -> Vec<Outcome> {
        serde_yaml::from_str(yaml).unwrap()
    }

    const GOOD: &str = "- {id: fruity, product: a, title: A, when: {taste: Fruity}}\n- {id: strong, offer: b, title: B, when: {taste: [Bitter, Mild]}}\n- {id: other, page: /guide/, title: C, default: true}\n";

    #[test]
    fn first_match_else_default() {
        let o = outcomes(GOOD);
        assert!(
            problems(&o, &form()).is_empty(),
            "{:?}",
            problems(&o, &form())
        );
        let pick = |taste: Option<&str>| {
            let mut a = BTreeMap::new();
            if let Some(t) = taste {
                a.insert("taste", t);
            }
            choose(&o, &a).unwrap().id.clone()
        };
        assert_eq!(pick(Some("Fruity")), "fruity");
        assert_eq!(pick(Some("Mild")), "strong");
        assert_eq!(pick(None), "other");
        assert_eq!(o[1].target(), Some(Target::Offer("b")));
    }

    #[test]
    fn mistakes_are_named() {
        let o = outcomes("- {id: x, product: a, offer: b, title: A, when: {tast: Fruity}}\n- {id: y, product: a, title: B, when: {taste: Fruty}}\n- {id: z, product: a, title: C, when: {note: hi}}\n");
        let p: Vec<String> = problems(&o, &form()).into_iter().map(|(_, m)| m).collect();
        let has = |s: &str| p.iter().any(|m| m.contains(s));
        assert!(has("exactly one of"), "{p:?}");
        assert!(has("did you mean `taste`?"), "{p:?}");
        assert!(
            has("\"Fruty\" is not an option of `taste` (did you mean \"Fruity\"?)"),
            "{p:?}"
        );
        assert!(has("not a radio or select"), "{p:?}");
        assert!(has("no outcome is the `default: true`"), "{p:?}");
        let e = serde_yaml::from_str::<Vec<Outcome>>("- {id: x, product: a, title: A, wen: {}}\n")
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `wen`"), "{e}");
    }
}
