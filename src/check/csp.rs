//! `csp-blocked`: inline code that the Content-Security-Policy of
//! `_headers` blocks. What a page's Markdown holds is found by the build
//! (its warnings, located in the page's file); this reads every rendered
//! page for what templates add (a site's own `templates/`), and reports
//! each problem once, with the number of pages it is on.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::context::Ctx;
use super::{CheckInput, Finding, Found, Rule};
use crate::error::Code;
use crate::render::headers::{blocked, inline_code, MOVE_IT};

pub fn check(ctx: &Ctx, input: &CheckInput, out: &mut Vec<Found>) {
    if !ctx.site.config.hosting.headers_file {
        return;
    }
    let from_markdown: HashSet<(&Path, &str)> = input
        .warnings
        .0
        .iter()
        .filter(|d| d.code == Some(Code::CspBlocked))
        .filter_map(|d| Some((d.path.as_deref()?, d.message.as_str())))
        .collect();
    let html: HashMap<&str, &[u8]> = input
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let mut from_templates: BTreeMap<String, (Found, usize)> = BTreeMap::new();
    for (doc, origin) in &ctx.docs {
        let Some(bytes) = html.get(doc.path.as_str()) else {
            continue;
        };
        let loc = ctx.loc(doc, *origin);
        for what in inline_code(&String::from_utf8_lossy(bytes)) {
            let message = blocked(&what);
            if from_markdown.contains(&(loc.file.as_path(), message.as_str())) {
                continue;
            }
            from_templates
                .entry(message.clone())
                .and_modify(|(_, n)| *n += 1)
                .or_insert_with(|| {
                    (
                        loc.put(Finding::new(Rule::CspBlocked, message).with_help(MOVE_IT)),
                        0,
                    )
                });
        }
    }
    for (_, (mut found, more)) in from_templates {
        if more > 0 {
            found.finding.help = Some(format!(
                "{MOVE_IT} (the same is on {more} more page{}: it comes from a template)",
                if more == 1 { "" } else { "s" }
            ));
        }
        out.push(found);
    }
}
