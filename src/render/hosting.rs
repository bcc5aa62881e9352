//! The files static hosts read beside the pages: `_headers`, `_redirects`,
//! `vercel.json` (when asked) and the redirect pages, as `hosting:` in
//! site.yaml turns them on or off. A static file of the same name (a
//! hand-written `static/_redirects`) replaces the generated one.

use std::collections::HashSet;

use serde_json::json;

use super::headers::{self, HeaderRule};
use super::redirects;
use super::views::Views;
use super::OutputFile;
use crate::error::{Diagnostic, Diagnostics};
use crate::theme::Theme;

/// The hosting files, and what deserves a warning (inline code the
/// Content-Security-Policy blocks).
pub struct HostingFiles {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
}

/// The hosting files of the site; without `host_config` (`lander serve`,
/// whose server reads neither), no `_headers` and no `vercel.json`, whose
/// policy scans every page.
pub fn generate(
    views: &Views,
    theme: &Theme,
    host_config: bool,
) -> Result<HostingFiles, Diagnostic> {
    let site = views.site;
    let cfg = &site.config.hosting;
    let mut warnings = Diagnostics::default();
    let mut files = Vec::new();
    let headers_file = cfg.headers_file && host_config;
    let vercel = cfg.vercel_json && host_config;
    let rules = if headers_file || vercel {
        headers::rules(views, &mut warnings)
    } else {
        Vec::new()
    };
    if headers_file {
        files.push(headers::headers_file(&rules));
    }
    if cfg.redirects_file {
        files.extend(redirects::redirects_file(views));
    }
    if vercel {
        files.push(vercel_json(views, &rules));
    }
    let statics: HashSet<&str> = site.statics.iter().map(|s| s.to.as_str()).collect();
    files.retain(|f| !statics.contains(f.path.as_str()));
    if cfg.redirect_pages {
        files.extend(redirects::pages(views, theme)?);
    }
    Ok(HostingFiles { files, warnings })
}

/// `vercel.json`: the redirects, and the headers of `_headers`.
fn vercel_json(views: &Views, rules: &[HeaderRule]) -> OutputFile {
    let headers: Vec<_> = rules
        .iter()
        .map(|r| {
            let source = redirects::vercel_escape(&r.path).replace("\\*", "(.*)");
            let values: Vec<_> = r
                .headers
                .iter()
                .map(|(k, v)| json!({ "key": k, "value": v }))
                .collect();
            json!({ "source": source, "headers": values })
        })
        .collect();
    let mut doc = json!({ "redirects": redirects::vercel(views) });
    if views.site.config.hosting.headers_file {
        doc["headers"] = json!(headers);
    }
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    OutputFile {
        path: "vercel.json".into(),
        bytes: text.into_bytes(),
        source: None,
    }
}
