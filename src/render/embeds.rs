//! Shortcodes turned into HTML: `cta`, `form`, `countdown` (offers) and
//! `product`, each rendered by a theme template under `shortcodes/`, and the
//! site's own `templates/shortcodes/NAME.html`, given their arguments,
//! `body`, `page`, `site` and `data`.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use super::forms::{form_view, FormContext};
use super::lang::Locale;
use super::offers::OfferView;
use super::shortcode_catalog::Catalog;
use super::urls::Urls;
use super::views::Views;
use crate::content::{Page, Site};
use crate::error::{Code, Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::shortcodes::{self, Call, Extracted};
use crate::theme::{template_error, Theme};

/// `cta(offer="…", open="popup")`: the offer's form opens in a dialog.
pub const OPEN_POPUP: &str = "popup";

pub struct Embedder<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub urls: Urls<'a>,
    pub common: &'a tera::Context,
    pub summaries: &'a [Value],
    pub locales: &'a [super::lang::Locale<'a>],
    pub catalog: &'a Catalog,
}

impl Embedder<'_> {
    /// HTML of every call of a page, in order, or the problems with them.
    /// Warnings (an offer that is not running) come back beside the HTML.
    /// `page_view` is `page` in the site's shortcode templates.
    pub fn render_calls(
        &self,
        page: &Page,
        page_view: &Value,
        extracted: &Extracted,
    ) -> (Vec<String>, Diagnostics) {
        let mut out = Vec::with_capacity(extracted.calls.len());
        let mut diags = Diagnostics::default();
        let at = |offset: usize| page.body_line_col(offset);
        for m in &extracted.errors {
            let (l, c) = at(m.offset);
            diags.push(
                Diagnostic::error(m.message.clone())
                    .in_file(&page.source)
                    .at(l, c)
                    .with_help("write shortcodes as {{ name(text=\"…\", n=3, on=true, list=[\"a\", \"b\"]) }}, or with a body: {% name() %} Markdown {% end %}"),
            );
        }
        for (n, call) in extracted.calls.iter().enumerate() {
            let (l, c) = at(call.offset);
            if let Err((offset, d)) = self.catalog.check(call) {
                let (l, c) = at(offset);
                out.push(String::new());
                diags.push(d.in_file(&page.source).at(l, c));
                continue;
            }
            match self.render_call(page, page_view, call, n) {
                Ok(Some(html)) => out.push(html),
                Ok(None) => {
                    out.push(String::new());
                    diags.push(
                        Diagnostic::warning(format!(
                            "the offer `{}` is not running on {} and has no running fallback: this {} is left out",
                            call.arg("offer").unwrap_or_default(),
                            self.site.now.to_iso(),
                            call.name
                        ))
                        .in_file(&page.source)
                        .at(l, c)
                        .with_help("add `fallback: OTHER-OFFER` to the offer's schedule")
                        .with_code(Code::ExpiredOffer),
                    );
                }
                Err(mut d) => {
                    out.push(String::new());
                    if d.path.is_none() {
                        d.path = Some(page.source.clone());
                        d.line = Some(l);
                        d.column = Some(c);
                    }
                    diags.push(d);
                }
            }
        }
        (out, diags)
    }

    /// `Ok(None)`: a scheduled offer that is not running, with no fallback.
    fn render_call(
        &self,
        page: &Page,
        page_view: &Value,
        call: &Call,
        n: usize,
    ) -> Result<Option<String>, Diagnostic> {
        let mut ctx = self.common.clone();
        let page_path = self.urls.path(&page.path);
        match call.name.as_str() {
            "cta" | "form" | "countdown" => {
                let id = call.arg("offer").ok_or_else(|| {
                    Diagnostic::error(format!("the `{}` shortcode needs offer=\"…\"", call.name))
                        .with_help(format!(
                            "e.g. {{{{ {}(offer=\"spring-sale\") }}}}",
                            call.name
                        ))
                })?;
                if self.site.offer(id).is_none() {
                    let ids: Vec<String> = self.site.offers.iter().map(|o| o.id.clone()).collect();
                    let help = match crate::base::text::closest(id, &ids) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("known offers: {}", ids.join(", ")),
                    };
                    return Err(Diagnostic::error(format!(
                        "unknown offer `{id}` in `{}` shortcode",
                        call.name
                    ))
                    .with_help(help));
                }
                let ends = |o: &crate::content::Offer| {
                    o.def.schedule.as_ref().and_then(|s| s.ends).is_some()
                };
                if call.name == "countdown" && !self.site.offer(id).is_some_and(ends) {
                    return Err(Diagnostic::error(format!("the offer `{id}` has no end date to count down to"))
                        .with_help("add schedule: { ends: 2026-03-08T23:59:00Z, countdown: true } to the offer"));
                }
                let Some(offer) = self.site.effective_offer(id) else {
                    return Ok(None);
                };
                if call.name == "countdown" && !ends(offer) {
                    // The offer ended and its fallback runs without an end.
                    return Ok(Some(String::new()));
                }
                let loc = &self.locales[self.site.lang_index(&page.lang)];
                ctx.insert("offer", &OfferView::new(offer, loc, self.urls));
                match call.arg("open") {
                    None => {}
                    Some(OPEN_POPUP) if call.name == "cta" => ctx.insert("open", OPEN_POPUP),
                    Some(other) => {
                        return Err(Diagnostic::error(format!(
                            "`open=\"{other}\"` in the `{}` shortcode: only a `cta` opens, and only `open=\"popup\"`",
                            call.name
                        ))
                        .with_help("write {{ cta(offer=\"…\", open=\"popup\") }} to open the offer's form in a dialog, or leave `open` out to link to the offer page"));
                    }
                }
                if call.name == "form" {
                    let instance = format!("inline{}", n + 1);
                    let form = form_view(
                        offer,
                        &FormContext {
                            config: &self.site.config,
                            urls: self.urls,
                            page_path: &page_path,
                            loc,
                            instance: &instance,
                            site: self.site,
                            card: &|i| self.summaries[crate::base::reads::page(i)].clone(),
                        },
                    );
                    ctx.insert("form", &form);
                }
            }
            "product" => {
                let slug = call.arg("slug").ok_or_else(|| {
                    Diagnostic::error("the `product` shortcode needs slug=\"…\"")
                        .with_help("e.g. {{ product(slug=\"early-harvest-500ml\") }}")
                })?;
                let i = self.site.product_by_slug(slug, &page.lang).ok_or_else(|| {
                    let slugs: Vec<&str> = self
                        .site
                        .products
                        .iter()
                        .map(|&i| self.site.pages[i].slug.as_str())
                        .collect();
                    Diagnostic::error(format!("unknown product `{slug}`"))
                        .with_help(format!("known products: {}", slugs.join(", ")))
                })?;
                ctx.insert("item", &self.summaries[crate::base::reads::page(i)]);
            }
            // A site shortcode: the catalog checked that it exists.
            _ => {}
        }
        if self.catalog.is_from_site(&call.name) {
            ctx.insert("page", page_view);
            for arg in &call.args {
                if !Catalog::is_built_in(&call.name) || (arg.key != "offer" && arg.key != "slug") {
                    ctx.insert(arg.key.as_str(), &arg.value);
                }
            }
        }
        if let Some(body) = &call.body {
            ctx.insert("body", &crate::markdown::render(body).html);
        }
        ctx.insert("current_path", &page_path);
        let loc = &self.locales[self.site.lang_index(&page.lang)];
        ctx.insert("t", loc.strings);
        ctx.insert("lang", &super::lang::LangView::new(loc.lang, self.urls));
        let template = format!("shortcodes/{}.html", call.name);
        self.theme
            .tera
            .render(&template, &ctx)
            .map(|html| Some(html.trim().to_string()))
            .map_err(|e| {
                let mut d = template_error(&e, &self.theme.origins);
                let (line, column) = page.body_line_col(call.offset);
                d.help = Some(format!(
                    "while rendering the shortcode `{}` at {}:{line}:{column}",
                    call.name,
                    Path::new(&page.source).display()
                ));
                d
            })
    }
}

/// Renders every shortcode and puts its HTML in place of its placeholder.
#[allow(clippy::too_many_arguments)]
pub(super) fn embed_shortcodes(
    site: &Site,
    theme: &Theme,
    urls: Urls,
    locales: &[Locale],
    common: &tera::Context,
    extracted: &[Extracted],
    markdown: &mut [Arc<Rendered>],
    warnings: &mut Diagnostics,
) -> Result<Vec<Vec<crate::base::reads::Read>>, Diagnostics> {
    let pieces: Vec<(
        usize,
        Vec<String>,
        Diagnostics,
        Vec<crate::base::reads::Read>,
    )> = {
        let views = Views {
            site,
            urls,
            markdown,
            locales,
        };
        // Product cards need summaries; only products are ever embedded,
        // and only when some page has a `product` shortcode.
        let mut product_summaries = vec![Value::Null; site.pages.len()];
        // Quiz outcomes show product cards too, in a `form` shortcode.
        let quiz_cards = site.offers.iter().any(|o| !o.def.outcomes.is_empty());
        if quiz_cards
            || extracted
                .iter()
                .any(|ex| ex.calls.iter().any(|c| c.name == "product"))
        {
            for &i in &site.products {
                product_summaries[i] = views.summary_value(i);
            }
        }
        let catalog = Catalog::new(theme);
        let embedder = Embedder {
            site,
            theme,
            urls,
            common,
            summaries: &product_summaries,
            locales,
            catalog: &catalog,
        };
        (0..site.pages.len())
            .into_par_iter()
            .filter(|&i| !extracted[i].calls.is_empty() || !extracted[i].errors.is_empty())
            .map(|i| {
                // `page` of the site's shortcodes: what lists show of it.
                let page_view = match extracted[i]
                    .calls
                    .iter()
                    .any(|c| catalog.is_from_site(&c.name))
                {
                    true => {
                        let mut v = views.summary_value(i);
                        // The summary's own shortcodes are not rendered yet.
                        if let Some(Value::String(summary)) = v.get_mut("summary") {
                            *summary = shortcodes::strip(summary);
                        }
                        v
                    }
                    false => Value::Null,
                };
                // The pages a call shows (a product's card) are recorded:
                // the page is rendered again when one of them changes.
                let ((html, diags), read) = crate::base::reads::recording(|| {
                    embedder.render_calls(&site.pages[i], &page_view, &extracted[i])
                });
                (i, html, diags, read)
            })
            .collect()
    };
    let mut errs = Diagnostics::default();
    let mut reads = vec![Vec::new(); site.pages.len()];
    for (i, html, diags, read) in pieces {
        reads[i] = read;
        for d in diags.0 {
            match d.severity {
                crate::error::Severity::Error => errs.push(d),
                crate::error::Severity::Warning | crate::error::Severity::Notice => {
                    warnings.push(d)
                }
            }
        }
        let md = Arc::make_mut(&mut markdown[i]);
        md.html = shortcodes::fill(&md.html, &html);
        md.summary = shortcodes::fill(&md.summary, &html);
        md.summary_text = shortcodes::strip(&md.summary_text);
    }
    if errs.has_errors() {
        errs.sort();
        Err(errs)
    } else {
        Ok(reads)
    }
}
