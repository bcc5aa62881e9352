//! `missing-winner`: an A/B test that the last `lander report` (saved in
//! `.lander/report.json`) found a clear winner for, but whose offer has no
//! `winner:` yet, so visitors keep seeing the losing variant.

use super::context::{Ctx, Loc};
use super::{Finding, Found, Rule};
use crate::report::{json, Status, SAVED_REPORT};

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    let path = ctx.root.join(SAVED_REPORT);
    // No report yet: nothing to say.
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let report = match json::parse(&text) {
        Ok(r) => r,
        Err(e) => {
            out.push(
                Loc::file(SAVED_REPORT).put(
                    Finding::new(
                        Rule::MissingWinner,
                        format!("the last report does not parse: {e}"),
                    )
                    .with_help("run `lander report` again, or delete the file"),
                ),
            );
            return;
        }
    };
    for result in &report.offers {
        let (Status::Winner, Some(winner)) = (result.verdict.status, &result.verdict.winner) else {
            continue;
        };
        let Some(offer) = ctx.site.offer(&result.offer) else {
            continue;
        };
        // Already locked in, or the variants changed since the report.
        if offer.def.winner.is_some() || !offer.variant_ids.contains(winner) {
            continue;
        }
        let line = offer.key_lines.line("variants");
        out.push(
            Loc::file(offer.source.clone()).at(line, 1).put(
                Finding::new(
                    Rule::MissingWinner,
                    format!(
                        "the last report has a winner for this A/B test ({}), but the offer has no `winner`",
                        result.verdict.text
                    ),
                )
                .with_help(format!(
                    "add `winner: {winner}` to show only that variant (the others stay in the file for the record)"
                )),
            ),
        );
    }
}
