//! Forms and offers: `form-without-endpoint`, `insecure-endpoint`,
//! `expired-offer` and `orphan-offer`.
//!
//! The load and render stages already warn about offers that stopped with
//! no fallback, forms with no endpoint and `http://` endpoints of offers;
//! those warnings are turned into findings here rather than found twice.

use std::collections::HashSet;

use super::context::{find_in_body, is_synthetic, Ctx, Loc, Origin};
use super::links::{resolve, Resolved};
use super::{Finding, Found, Rule};
use crate::config::CONFIG_FILE;
use crate::content::site::is_plain_http;
use crate::error::{Diagnostic, Diagnostics};

/// The rule of a warning of the build, by what it says.
fn rule_of(d: &Diagnostic) -> Option<Rule> {
    let m = &d.message;
    if m.contains("is not running on") && m.contains("no running fallback") {
        Some(Rule::ExpiredOffer)
    } else if m.contains("is not https") {
        Some(Rule::InsecureEndpoint)
    } else if m.contains("has no endpoint") {
        Some(Rule::FormWithoutEndpoint)
    } else {
        None
    }
}

/// The build's warnings as findings: those a rule covers take its id and
/// severity (an offer reference that shows nothing is an error here);
/// others stay warnings of `build`.
pub fn convert_warnings(ctx: &Ctx, warnings: &Diagnostics, out: &mut Vec<Found>) {
    for d in &warnings.0 {
        let finding = match rule_of(d) {
            Some(rule) => Finding {
                severity: rule.severity(),
                ..Finding::from_diagnostic(rule, d.clone())
            },
            None => Finding::from_diagnostic(Rule::Build, d.clone()),
        };
        let page = finding.file.as_deref().and_then(|f| ctx.page_by_source(f));
        out.push(Found { finding, page });
    }
}

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    endpoints(ctx, out);
    forms(ctx, out);
    orphans(ctx, out);
}

/// `http://` endpoints of the site (offers' own are warned about by the
/// load stage).
fn endpoints(ctx: &Ctx, out: &mut Vec<Found>) {
    let forms = &ctx.site.config.forms;
    if let Some(endpoint) = &forms.endpoint_override {
        if is_plain_http(&endpoint.0) {
            out.push(Found {
                finding: Finding::new(
                    Rule::InsecureEndpoint,
                    format!(
                        "--form-endpoint `{}` is not https: visitors' emails would travel unencrypted",
                        endpoint.0
                    ),
                )
                .with_help("use the https:// address of your form backend"),
                page: None,
            });
        }
    } else if let Some(endpoint) = &forms.endpoint {
        if is_plain_http(&endpoint.0) {
            out.push(
                Loc::file(CONFIG_FILE).put(
                    Finding::new(
                        Rule::InsecureEndpoint,
                        format!(
                            "the form endpoint `{}` (forms.endpoint) is not https: visitors' emails would travel unencrypted",
                            endpoint.0
                        ),
                    )
                    .with_help("use the https:// address of your form backend"),
                ),
            );
        }
    }
}

/// Forms written by hand (in Markdown or a template) that post nowhere, or
/// in clear. Offer forms are judged on their offer, by the load stage.
fn forms(ctx: &Ctx, out: &mut Vec<Found>) {
    for (doc, origin) in &ctx.docs {
        for form in &doc.forms {
            if !form.post
                || form
                    .offer
                    .as_deref()
                    .is_some_and(|id| ctx.site.offer(id).is_some())
            {
                continue;
            }
            let action = form.action.as_deref().unwrap_or_default();
            let finding = if action.is_empty() {
                Finding::new(
                    Rule::FormWithoutEndpoint,
                    "a form posts to no endpoint: submissions would go nowhere",
                )
                .with_help("give the form an action=\"https://…\", or use {{ form(offer=\"ID\") }}")
            } else if is_plain_http(action) {
                Finding::new(
                    Rule::InsecureEndpoint,
                    format!(
                        "the form endpoint `{action}` is not https: visitors' emails would travel unencrypted"
                    ),
                )
                .with_help("use the https:// address of your form backend")
            } else {
                continue;
            };
            let mut loc = ctx.loc(doc, *origin);
            if let Some(page) = ctx.page_of(*origin).filter(|p| !is_synthetic(p)) {
                let needles: Vec<String> = if action.is_empty() {
                    vec!["<form".into()]
                } else {
                    vec![action.to_string(), "<form".into()]
                };
                let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
                if let Some((l, c)) = find_in_body(page, &needles) {
                    loc = loc.at(l, c);
                }
            }
            out.push(loc.put(finding));
        }
    }
}

/// Running offers without a popup that no page shows or links to.
fn orphans(ctx: &Ctx, out: &mut Vec<Found>) {
    let site = ctx.site;
    let mut shown: HashSet<&str> = HashSet::new();
    for (doc, origin) in &ctx.docs {
        let own = match *origin {
            Origin::Offer(o) | Origin::Thanks(o) => Some(site.offers[o].id.as_str()),
            _ => None,
        };
        shown.extend(
            doc.offers
                .iter()
                .map(String::as_str)
                .filter(|id| Some(*id) != own),
        );
        for r in doc
            .refs
            .iter()
            .filter(|r| r.is_link() && r.url.contains("offers/"))
        {
            if let Resolved::Found { file, .. } = resolve(ctx, &doc.path, &r.url) {
                let id = file
                    .strip_prefix("offers/")
                    .and_then(|f| f.strip_suffix("/index.html"))
                    .filter(|id| !id.contains('/'));
                if let Some(id) = id.filter(|id| Some(*id) != own) {
                    if let Some(o) = site.offer(id) {
                        shown.insert(o.id.as_str());
                    }
                }
            }
        }
    }
    for o in &site.offers {
        if !site.is_running(o) || o.def.popup.is_some() || shown.contains(o.id.as_str()) {
            continue;
        }
        out.push(
            Loc::file(&o.source).put(
                Finding::new(
                    Rule::OrphanOffer,
                    format!("the offer `{}` runs, but no page shows it or links to it", o.id),
                )
                .with_help(format!(
                    "add `offer: {id}` to a page's front matter, {{{{ cta(offer=\"{id}\") }}}} to its text, \
                     or a `popup:` to the offer",
                    id = o.id
                )),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::site::insecure_endpoint;

    #[test]
    fn build_warnings_are_classified() {
        assert_eq!(
            rule_of(&insecure_endpoint("http://x.test/")),
            Some(Rule::InsecureEndpoint)
        );
        let stopped = Diagnostic::warning(
            "the offer `x` is not running on 2025-01-01 and has no running fallback: its call-to-action is left out",
        );
        assert_eq!(rule_of(&stopped), Some(Rule::ExpiredOffer));
        let nowhere = Diagnostic::warning(
            "the form of offer `x` has no endpoint: submissions would go nowhere",
        );
        assert_eq!(rule_of(&nowhere), Some(Rule::FormWithoutEndpoint));
        assert_eq!(rule_of(&Diagnostic::warning("something else")), None);
    }
}
