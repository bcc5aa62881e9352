//! `broken-link` for redirects: an alias or a `redirects:` entry of
//! site.yaml that leads to a URL the site does not have. Reported at the
//! line that wrote it (redirect pages themselves are not checked as pages).

use super::context::{Ctx, Loc};
use super::links::{resolve, Resolved};
use super::{Finding, Found, Rule};

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    for r in &ctx.site.redirects {
        // Splat targets depend on the request; external ones are another site's.
        if r.is_external() || r.to.contains(":splat") {
            continue;
        }
        let Resolved::Missing { path } = resolve(ctx, "index.html", &ctx.urls.path(&r.to)) else {
            continue;
        };
        let loc = Loc {
            page: ctx.page_by_source(&r.source),
            ..Loc::file(&r.source).at(r.line, 1)
        };
        out.push(
            loc.put(
                Finding::new(
                    Rule::BrokenLink,
                    format!(
                        "the redirect from {} leads to {}, where the site has nothing",
                        r.from, path
                    ),
                )
                .with_help("point `to:` at a page of the site or a full https:// address"),
            ),
        );
    }
}
