//! Forms and offers: `form-without-endpoint`, `insecure-endpoint` and
//! `expired-offer` (`orphan-offer` is a gap of the funnel: see `funnel`).
//!
//! The load and render stages already warn about offers that stopped with
//! no fallback, forms with no endpoint and `http://` endpoints (site-wide,
//! `--form-endpoint` and offers'); those warnings carry their rule id as
//! their code and become findings here rather than being found twice.

use super::context::{find_in_body, is_synthetic, Ctx};
use super::{Finding, Found, Rule};
use crate::content::site::is_plain_http;
use crate::error::Diagnostics;

/// The build's warnings as findings: those a rule covers take its id and
/// severity (an offer reference that shows nothing is an error here);
/// others stay warnings of `build`.
pub fn convert_warnings(ctx: &Ctx, warnings: &Diagnostics, out: &mut Vec<Found>) {
    for d in &warnings.0 {
        let finding = match d.code.and_then(|c| Rule::from_id(c.rule_id())) {
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
    forms(ctx, out);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    /// The codes the build puts on its warnings are rule ids of check.
    #[test]
    fn build_warning_codes_are_rules() {
        let rule = |c: Code| Rule::from_id(c.rule_id());
        assert_eq!(rule(Code::InsecureEndpoint), Some(Rule::InsecureEndpoint));
        assert_eq!(rule(Code::ExpiredOffer), Some(Rule::ExpiredOffer));
        assert_eq!(
            rule(Code::FormWithoutEndpoint),
            Some(Rule::FormWithoutEndpoint)
        );
    }
}
