//! Front matter in three steps: split the `---` block from the body, deserialise
//! it into a strict typed struct, then check what types cannot express.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::date::Date;
use crate::base::key_lines::{KeyLines, KEYS};
use crate::base::text::closest;
use crate::base::url::SafeUrl;
use crate::error::{self, Diagnostic, Diagnostics};

/// A Markdown file cut in two, with the line numbers needed for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `---\nyaml\n---\nbody`. CRLF line endings are fine (the BOM is
/// already gone, see `decode_utf8`).
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if !is_fence(&text[..first_end]) {
        return Err(
            Diagnostic::error("the file does not start with front matter")
                .in_file(path)
                .at(1, 1)
                .with_help(
                    "start the file with a `---` line, then `title: …`, then another `---` line",
                ),
        );
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        if is_fence(&text[offset..end]) {
            return Ok(Split {
                yaml: &text[first_end..offset],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(
        Diagnostic::error("the front matter opened on line 1 is never closed")
            .in_file(path)
            .at(1, 1)
            .with_help("add a line with only `---` after the last front matter key"),
    )
}

/// Funnel stage. `tofu`, `mofu` and `bofu` are accepted as aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    #[serde(alias = "tofu")]
    Awareness,
    #[serde(alias = "mofu")]
    Consideration,
    #[serde(alias = "bofu")]
    Purchase,
    Retention,
}

impl Stage {
    /// The name as written in YAML and sent with forms: `awareness`…
    pub fn name(self) -> &'static str {
        match self {
            Stage::Awareness => "awareness",
            Stage::Consideration => "consideration",
            Stage::Purchase => "purchase",
            Stage::Retention => "retention",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    InStock,
    OutOfStock,
    Preorder,
}

/// A product's buy button: its checkout link and, optionally, its text.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Buy {
    pub url: crate::base::url::HttpsUrl,
    /// Default: the theme's "Buy now" in the page's language.
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub q: String,
    pub a: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub value: f64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub author: String,
    pub rating: f64,
    pub date: Option<Date>,
    pub body: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageCheck {
    #[serde(default)]
    pub disable: Vec<String>,
}

/// Where a call-to-action takes the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferOpen {
    /// The offer's page (the default).
    Page,
    /// The offer's form in a dialog on this page; its page without JS.
    Popup,
}

/// Every key a content file may have. Keys that are not lander's land in
/// `terms`: they must name a taxonomy of site.yaml, else they are errors
/// (a typo like `titel` is reported with a suggestion rather than silently
/// ignored) once the site's taxonomies are known, see `content::taxonomies`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub slug: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    /// Not built before this moment (unless `--drafts`, or `--now` after it).
    pub publish_date: Option<Date>,
    /// Not built from this moment on: gone from lists, feeds and the sitemap.
    pub expiry_date: Option<Date>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub canonical: Option<SafeUrl>,
    #[serde(default)]
    pub noindex: bool,
    /// `card: false`: no social card of its own (site.yaml `seo.image`, if
    /// any, is shared instead).
    pub card: Option<bool>,
    pub lang: Option<String>,
    pub translation_key: Option<String>,
    pub stage: Option<Stage>,
    pub offer: Option<String>,
    /// `popup`: the page's offer banner opens the offer's form in a dialog
    /// (two-step opt-in) instead of leading to its page.
    pub offer_open: Option<OfferOpen>,
    #[serde(default)]
    pub faq: Vec<Faq>,
    pub author: Option<String>,
    pub layout: Option<String>,
    pub weight: Option<i64>,
    /// Old URLs of the page (site paths): each redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Every external link of the page is an affiliate link.
    #[serde(default)]
    pub affiliate: bool,
    /// `lander check` rules turned off for this page.
    #[serde(default)]
    pub check: PageCheck,
    #[serde(default)]
    pub extra: serde_yaml::Mapping,

    // Products only (checked in `check`).
    pub price: Option<f64>,
    pub currency: Option<String>,
    pub sku: Option<String>,
    pub brand: Option<String>,
    pub availability: Option<Availability>,
    #[serde(default)]
    pub images: Vec<String>,
    pub rating: Option<Rating>,
    #[serde(default)]
    pub reviews: Vec<Review>,
    #[serde(default)]
    pub related: Vec<String>,
    /// The checkout link (Stripe Payment Link, Shopify, Gumroad…).
    pub buy: Option<Buy>,

    /// Every other key, by name: the page's terms of each taxonomy
    /// (`tags: [a, b]`, `categories: guides`), checked at assembly.
    #[serde(flatten)]
    pub terms: BTreeMap<String, serde_yaml::Value>,
}

/// Parses the YAML part of a split file into a checked [`FrontMatter`].
pub fn parse(split: &Split, path: &Path) -> Result<(FrontMatter, KeyLines), Diagnostics> {
    let lines = KeyLines::scan(split.yaml, split.yaml_line);
    if split.yaml.trim().is_empty() {
        return Err(Diagnostic::error("the front matter is empty")
            .in_file(path)
            .at(1, 1)
            .with_help("add at least `title: …` between the `---` lines")
            .into());
    }
    let fm: FrontMatter = error::parse_yaml(split.yaml).map_err(|e| {
        // serde's wording, pinned by `error::tests::serde_messages_missing_field`.
        misspelt_title(&lines, path)
            .filter(|_| e.error.to_string().contains("missing field `title`"))
            .unwrap_or_else(|| e.diagnostic(path, split.yaml, split.yaml_line))
    })?;
    check(&fm, &lines, path)?;
    Ok((fm, lines))
}

/// `titel: …` without `title`: the typo, rather than the missing title,
/// is what to report (other unknown keys wait for the site's taxonomies).
fn misspelt_title(lines: &KeyLines, path: &Path) -> Option<Diagnostic> {
    let known = [String::from("title")];
    let (key, line) = lines.0.iter().find(|(k, _)| {
        !k.contains('[') && !KEYS.contains(&k.as_str()) && closest(k, &known).is_some()
    })?;
    Some(
        Diagnostic::error(format!("unknown key `{key}`"))
            .in_file(path)
            .at(*line, 1)
            .with_help("did you mean `title`?"),
    )
}

fn check(fm: &FrontMatter, lines: &KeyLines, path: &Path) -> Result<(), Diagnostics> {
    let mut errs = Diagnostics::default();
    for (n, alias) in fm.aliases.iter().enumerate() {
        let bad = crate::config::hosting::check_from(alias)
            .err()
            .or_else(|| alias.contains('*').then(|| format!("`{alias}` has a `*`")));
        if let Some(msg) = bad {
            errs.push(
                Diagnostic::error(format!("alias {msg}"))
                    .in_file(path)
                    .at(lines.item_line("aliases", n), 1)
                    .with_help(
                        "write the old URL of the page as a site path, e.g. - /blog/old-name/",
                    ),
            );
        }
    }
    let mut err = |key: &str, msg: String, help: &str| {
        errs.push(
            Diagnostic::error(msg)
                .in_file(path)
                .at(lines.line(key), 1)
                .with_help(help),
        )
    };
    if fm.title.trim().is_empty() {
        err("title", "`title` is empty".into(), "give the page a title");
    }
    if let Some(slug) = &fm.slug {
        if let Err(msg) = crate::base::slug::check_written(slug) {
            err(
                "slug",
                msg,
                "use letters, digits and dashes, e.g. slug: spring-harvest",
            );
        }
    }
    if let (Some(date), Some(updated)) = (&fm.date, &fm.updated) {
        if updated < date {
            err(
                "updated",
                "`updated` is before `date`".into(),
                "set updated to the day of the last change, on or after date",
            );
        }
    }
    if let (Some(publish), Some(expiry)) = (&fm.publish_date, &fm.expiry_date) {
        if expiry <= publish {
            err(
                "expiry_date",
                "`expiry_date` is not after `publish_date`".into(),
                "set expiry_date to the moment the page should leave the site, after publish_date",
            );
        }
    }
    if let Some(price) = fm.price {
        if !price.is_finite() || price < 0.0 {
            err(
                "price",
                format!("`price` is {price}"),
                "use a positive number such as 12.50",
            );
        }
    }
    if fm.price.is_some() && fm.currency.is_none() {
        err(
            "price",
            "a price needs a `currency`".into(),
            "add currency: EUR (an ISO 4217 code)",
        );
    }
    if let Some(r) = &fm.rating {
        if !(0.0..=5.0).contains(&r.value) {
            err(
                "rating",
                format!("rating value {} is outside 0-5", r.value),
                "use a value from 0 to 5",
            );
        }
    }
    if fm.image.is_some() && fm.image_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
        err(
            "image",
            "`image` has no `image_alt`".into(),
            "describe the image for screen readers and search engines with image_alt: …",
        );
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_with_crlf_and_counts_lines() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody\r\n", p()).unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\ntitle: A\nbody\n", p()).unwrap_err();
        assert!(e.message.contains("never closed"));
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let text = "---\ntitle: A\ndate: [oops\n---\n";
        let s = split(text, p()).unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert!(e.0[0].line.unwrap() >= 3, "{:?}", e);
    }

    #[test]
    fn impossible_date_points_at_date_line() {
        let s = split("---\ntitle: A\ndate: 2025-02-30\n---\n", p()).unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert_eq!(e.0[0].line, Some(3));
        assert!(e.0[0].message.contains("2025-02-30"));
    }

    #[test]
    fn a_refused_value_is_located_at_itself_not_at_an_equal_earlier_one() {
        // Before, the error was placed at the first occurrence of the value's
        // text after the mapping's start: here the title, line 2.
        let text = "---\ntitle: \"2025-02-30\"\ndescription: 2025-02-30\ndate: 2025-02-30\n---\n";
        let e = parse(&split(text, p()).unwrap(), p()).unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (Some(4), Some(7)), "{e}");
        assert_eq!(
            e.0[0].help.as_deref(),
            Some("write YYYY-MM-DD such as 2025-03-14, or RFC 3339 such as 2025-03-14T09:30:00Z")
        );
    }

    #[test]
    fn a_plain_http_buy_link_is_refused_at_its_line() {
        let text =
            "---\ntitle: A\nprice: 9\ncurrency: EUR\nbuy:\n  url: http://buy.stripe.com/x\n---\n";
        let s = split(text, p()).unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert_eq!(e.0[0].line, Some(6), "{e:?}");
        assert!(e.0[0].message.contains("not https"), "{e:?}");
        let ok = "---\ntitle: A\nbuy: { url: \"https://buy.stripe.com/x\", text: Order }\n---\n";
        let (fm, _) = parse(&split(ok, p()).unwrap(), p()).unwrap();
        assert_eq!(fm.buy.unwrap().url.0, "https://buy.stripe.com/x");
    }

    #[test]
    fn other_keys_are_kept_for_the_taxonomies() {
        let s = split(
            "---\ntitle: A\ncategories: [x, y]\ndescripton: x\n---\n",
            p(),
        )
        .unwrap();
        let (fm, lines) = parse(&s, p()).unwrap();
        let keys: Vec<&String> = fm.terms.keys().collect();
        assert_eq!(keys, ["categories", "descripton"]);
        assert_eq!(lines.line("descripton"), 4);
    }

    #[test]
    fn keys_lists_every_field() {
        // Each key of KEYS is a field: it never lands in `terms`.
        for key in KEYS {
            let text = format!("---\ntitle: A\n{key}: ~\n---\n");
            let parsed = parse(&split(&text, p()).unwrap(), p());
            assert!(
                parsed.is_err() || parsed.unwrap().0.terms.is_empty(),
                "{key}"
            );
        }
        let parsed = parse(
            &split("---\ntitle: A\nnot_a_key: ~\n---\n", p()).unwrap(),
            p(),
        );
        assert!(parsed.unwrap().0.terms.contains_key("not_a_key"));
    }

    #[test]
    fn alias_items_have_their_lines() {
        let s = split(
            "---\ntitle: A\naliases:\n  - /old/\n  - nope\ntags: [a]\n---\n",
            p(),
        )
        .unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert_eq!(e.0[0].line, Some(5), "{e}");
        let lines = KeyLines::scan("aliases:\n- /a/\n- /b/\ntags:\n  - x\n", 2);
        assert_eq!(lines.item_line("aliases", 1), 4);
        assert_eq!(lines.line("tags"), 5);
        assert_eq!(lines.item_line("tags", 0), 6);
    }

    #[test]
    fn stage_aliases() {
        let s = split("---\ntitle: A\nstage: bofu\n---\n", p()).unwrap();
        assert_eq!(parse(&s, p()).unwrap().0.stage, Some(Stage::Purchase));
    }

    #[test]
    fn escaping_slug_is_refused() {
        let s = split("---\ntitle: A\nslug: ../../etc\n---\n", p()).unwrap();
        let e = parse(&s, p()).unwrap_err();
        assert_eq!(e.0[0].line, Some(3));
    }
}
