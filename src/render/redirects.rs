//! Redirects for every kind of host: an HTML page at each old URL (meta
//! refresh, canonical, noindex and a link: works on any static host),
//! `_redirects` for Netlify and Cloudflare Pages, and the `redirects` of
//! `vercel.json`. The redirects themselves are checked in the content stage
//! (`content::redirects`).

use serde_json::{json, Value};

use super::lang::LangView;
use super::views::Views;
use super::OutputFile;
use crate::content::redirects::Redirect;
use crate::error::Diagnostic;
use crate::theme::{template_error, Theme};

/// The theme's template of redirect pages (a site can override it).
pub const TEMPLATE: &str = "redirect.html";

/// Where a redirect leads, as a link of the built site (base path put in).
fn target(views: &Views, r: &Redirect) -> String {
    views.urls.link(&r.to)
}

/// A redirect page at the old URL of each redirect that has one (not the
/// splats, which only hosts can follow).
pub fn pages(views: &Views, theme: &Theme) -> Result<Vec<OutputFile>, Diagnostic> {
    let site = views.site;
    let mut out = Vec::new();
    for r in &site.redirects {
        let Some(file) = r.page_file() else {
            continue;
        };
        let l = site.lang_index(&r.lang);
        let loc = &views.locales[l];
        let mut ctx = tera::Context::new();
        ctx.insert("lang", &LangView::new(loc.lang, views.urls));
        ctx.insert("t", loc.strings);
        ctx.insert(
            "redirect",
            &json!({
                "from": views.urls.path(&r.from),
                "to": target(views, r),
                "canonical": views.urls.absolute(&r.to),
                "status": r.status,
            }),
        );
        let html = theme.tera.render(TEMPLATE, &ctx).map_err(|e| {
            let mut d = template_error(&e, &theme.origins);
            d.help = Some(format!(
                "this happened while rendering the redirect page of {} ({}:{})",
                r.from,
                r.source.display(),
                r.line
            ));
            d
        })?;
        out.push(OutputFile {
            path: file,
            bytes: html.into_bytes(),
            source: Some(r.source.clone()),
        });
    }
    Ok(out)
}

/// `_redirects`: `FROM TO STATUS` per line, in the order of the site's
/// redirects (the first rule that matches wins); none without redirects.
pub fn redirects_file(views: &Views) -> Option<OutputFile> {
    let site = views.site;
    if site.redirects.is_empty() {
        return None;
    }
    let mut text = String::from(
        "# Redirects for Netlify and Cloudflare Pages, written by lander from the\n\
         # pages' aliases and the redirects of site.yaml.\n",
    );
    for r in &site.redirects {
        text.push_str(&format!(
            "{} {} {}\n",
            views.urls.path(&r.from),
            target(views, r),
            r.status
        ));
    }
    Some(OutputFile {
        path: "_redirects".into(),
        bytes: text.into_bytes(),
        source: None,
    })
}

/// The `redirects` of `vercel.json` (path-to-regexp: `*` is `:splat*`).
pub fn vercel(views: &Views) -> Vec<Value> {
    views
        .site
        .redirects
        .iter()
        .map(|r| {
            let source = views.urls.path(&r.from);
            let source = match source.strip_suffix('*') {
                Some(prefix) => format!("{}:splat*", vercel_escape(prefix)),
                None => vercel_escape(&source),
            };
            let destination = target(views, r).replace(":splat", ":splat*");
            json!({ "source": source, "destination": destination, "statusCode": r.status })
        })
        .collect()
}

/// Escapes what path-to-regexp reads as syntax in a literal path.
pub fn vercel_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if "():*?+{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
