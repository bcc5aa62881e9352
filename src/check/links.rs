//! `broken-link` and `broken-anchor`: every URL of every page that stays on
//! the site must name an output file, and every `#fragment` an id of the
//! target page (the ids the theme adds included: `#main`, footnotes, TOC).

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::context::{is_synthetic, Ctx, Loc, Origin};
use super::facts::{Doc, Ref};
use super::{Finding, Found, Rule};

/// Where a URL of a page leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    /// Off the site, or not a web link (mailto:, tel:, another host).
    Outside,
    /// An output file of the site, and the fragment asked for.
    Found {
        file: String,
        fragment: Option<String>,
    },
    /// Inside the site, but nothing is there: the site path it resolves to.
    Missing { path: String },
    /// Not a URL a browser could follow.
    Invalid(String),
}

/// Resolves `url`, written in the output page `from`, against the site.
pub fn resolve(ctx: &Ctx, from: &str, url: &str) -> Resolved {
    if url.is_empty() {
        return Resolved::Outside;
    }
    let dir = from.strip_suffix("index.html").unwrap_or(from);
    let page = match ctx.base.join(dir) {
        Ok(u) => u,
        Err(_) => return Resolved::Outside,
    };
    let target = match page.join(url) {
        Ok(u) => u,
        Err(e) => return Resolved::Invalid(e.to_string()),
    };
    if !matches!(target.scheme(), "http" | "https") || target.origin() != ctx.base.origin() {
        return Resolved::Outside;
    }
    let base_path = ctx.base.path();
    let path = target.path();
    let rel = if let Some(rest) = path.strip_prefix(base_path) {
        rest
    } else if path == base_path.trim_end_matches('/') {
        ""
    } else {
        return Resolved::Outside;
    };
    let rel = percent_decode(rel);
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.clone(), format!("{rel}/index.html")]
    };
    match candidates.into_iter().find(|c| ctx.outputs.contains(c)) {
        Some(file) => Resolved::Found {
            file,
            fragment: target.fragment().map(percent_decode),
        },
        None => Resolved::Missing {
            path: format!("/{rel}"),
        },
    }
}

/// `%20` → ` `; invalid UTF-8 is replaced.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    let per_doc: Vec<Vec<(Found, bool)>> = ctx
        .docs
        .par_iter()
        .map(|(doc, origin)| check_doc(ctx, doc, *origin))
        .collect();
    // A broken link that no content file holds comes from a template and
    // is on many pages: report it once.
    let mut from_templates: BTreeMap<(Rule, String), (Found, usize)> = BTreeMap::new();
    for (found, located) in per_doc.into_iter().flatten() {
        if located {
            out.push(found);
            continue;
        }
        let key = (found.finding.rule, found.finding.message.clone());
        from_templates
            .entry(key)
            .and_modify(|(_, n)| *n += 1)
            .or_insert((found, 0));
    }
    for (_, (mut found, more)) in from_templates {
        if more > 0 {
            let help = found.finding.help.take().unwrap_or_default();
            found.finding.help = Some(format!(
                "{help} (the same link is on {more} more page{}: it comes from a template)",
                if more == 1 { "" } else { "s" }
            ));
        }
        out.push(found);
    }
}

/// Findings of one page; `true` when located in a content file, site.yaml
/// or an offer (not a template).
fn check_doc(ctx: &Ctx, doc: &Doc, origin: Origin) -> Vec<(Found, bool)> {
    let mut out = Vec::new();
    for r in &doc.refs {
        let finding = match resolve(ctx, &doc.path, &r.url) {
            Resolved::Outside => continue,
            Resolved::Invalid(e) => Finding::new(
                Rule::BrokenLink,
                format!("`{}` is not a valid URL ({e})", r.url),
            )
            .with_help("write a path such as /blog/my-post/ or a full https:// address"),
            Resolved::Missing { path } => broken_link(ctx, r, &path),
            Resolved::Found { file, fragment } => {
                let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                    continue;
                };
                if fragment.eq_ignore_ascii_case("top") {
                    continue;
                }
                let Some(target) = ctx.doc(&file) else {
                    continue;
                };
                if target.ids.contains(&fragment) {
                    continue;
                }
                broken_anchor(ctx, r, &file, target, &fragment)
            }
        };
        let (loc, located) = locate(ctx, doc, origin, r);
        out.push((loc.put(finding), located));
    }
    out
}

fn broken_link(ctx: &Ctx, r: &Ref, path: &str) -> Finding {
    let what = match r.tag.as_str() {
        "a" | "area" => "link",
        "img" | "source" | "video" if !r.url.is_empty() => "image or media file",
        "script" => "script",
        "link" => "linked file",
        "meta" => "social image",
        _ => "file",
    };
    let resolved = if r.url.starts_with('/') {
        String::new()
    } else {
        format!(" (it resolves to {path})")
    };
    let mut known: Vec<String> = ctx
        .outputs
        .iter()
        .filter(|o| !r.is_link() || o.ends_with(".html"))
        .map(|o| format!("/{}", o.strip_suffix("index.html").unwrap_or(o)))
        .collect();
    known.sort();
    let help = match crate::base::text::closest(path, &known) {
        Some(best) => format!("did you mean `{}`?", ctx.urls.path(best)),
        None if r.is_link() => {
            "fix the path or create the page; pages are linked by their folder, e.g. /blog/my-post/"
                .to_string()
        }
        None => {
            "put the file under static/ (static/images/a.png is /images/a.png), or fix the path"
                .to_string()
        }
    };
    Finding::new(
        Rule::BrokenLink,
        format!(
            "broken {what} `{}`{resolved}: the site has nothing at {path}",
            r.url
        ),
    )
    .with_help(help)
}

fn broken_anchor(ctx: &Ctx, r: &Ref, file: &str, target: &Doc, fragment: &str) -> Finding {
    let mut ids: Vec<String> = target.ids.iter().cloned().collect();
    ids.sort();
    let page = format!("/{}", file.strip_suffix("index.html").unwrap_or(file));
    let help = match crate::base::text::closest(fragment, &ids) {
        Some(best) => format!("did you mean `#{best}`?"),
        None => format!(
            "link to an id the page has, or give a heading that id: `## Heading {{#{fragment}}}`"
        ),
    };
    let message = if r.url.starts_with('#') {
        format!("the anchor `#{fragment}` is not on this page")
    } else {
        format!(
            "the anchor `#{fragment}` of `{}` is not on {}",
            r.url,
            ctx.urls.path(&page)
        )
    };
    Finding::new(Rule::BrokenAnchor, message).with_help(help)
}

/// Where a URL of a page was written: the offer it belongs to, the
/// Markdown text or front matter of the page, the menu of site.yaml, or
/// else (a template) the page's file without a line.
fn locate(ctx: &Ctx, doc: &Doc, origin: Origin, r: &Ref) -> (Loc, bool) {
    let site = ctx.site;
    let link = |u: &str| ctx.urls.link(u);
    let offer_key = |id: &str| -> Option<Loc> {
        let o = site.offer(id)?;
        let d = &o.def;
        let key = if d.image.as_deref().is_some_and(|i| link(i) == r.url) {
            "image"
        } else if d
            .cta
            .as_ref()
            .and_then(|c| c.url.as_ref())
            .is_some_and(|u| link(&u.0) == r.url)
        {
            "cta"
        } else if d.variants.iter().any(|v| {
            v.cta
                .as_ref()
                .and_then(|c| c.url.as_ref())
                .is_some_and(|u| link(&u.0) == r.url)
        }) {
            "variants"
        } else if d.thank_you.as_ref().is_some_and(|t| {
            t.next.as_ref().is_some_and(|n| link(&n.url.0) == r.url)
                || t.body.as_deref().is_some_and(|b| b.contains(&r.url))
        }) {
            "thank_you"
        } else {
            ""
        };
        ctx.offer_loc(id, key)
    };
    if let Some(id) = &r.offer {
        if let Some(loc) = offer_key(id) {
            return (loc, true);
        }
    }
    match origin {
        Origin::Offer(o) | Origin::Thanks(o) => {
            if let Some(loc) = offer_key(&site.offers[o].id) {
                if loc.line.is_some() {
                    return (loc, true);
                }
            }
        }
        Origin::Page(i) | Origin::List(i) if !is_synthetic(&site.pages[i]) => {
            let page = &site.pages[i];
            let loc = ctx.loc(doc, origin);
            let decoded = percent_decode(&r.url);
            for u in [r.url.as_str(), decoded.as_str()] {
                // (text before the URL, text after it), most specific first.
                for (before, after) in [
                    ("](", ""),
                    ("]: ", ""),
                    ("\"", "\""),
                    ("'", "'"),
                    ("<", ">"),
                    ("", ""),
                ] {
                    let needle = format!("{before}{u}{after}");
                    if let Some(offset) = page.body.find(&needle) {
                        let (l, c) = page.body_line_col(offset + before.len());
                        return (loc.at(l, c), true);
                    }
                }
            }
            let m = &page.meta;
            let key = if m.image.as_deref().is_some_and(|i| link(i) == r.url) {
                Some("image")
            } else if m.images.iter().any(|i| link(i) == r.url) {
                Some("images")
            } else if m.canonical.as_ref().is_some_and(|c| c.0 == r.url) {
                Some("canonical")
            } else {
                None
            };
            if let Some(key) = key {
                return (ctx.key_loc(doc, origin, key), true);
            }
        }
        _ => {}
    }
    if site.config.menu.iter().any(|m| link(&m.url) == r.url) {
        return (Loc::file(crate::config::CONFIG_FILE), true);
    }
    (ctx.loc(doc, origin), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
