//! What a command asks of a build (`lander build`, `check`, `funnel`,
//! `serve`): which site folder, for which URL and moment, with drafts or
//! not; and site.yaml with those overrides applied.

use std::path::{Path, PathBuf};

use super::Config;
use crate::base::url::SafeUrl;
use crate::error::{Diagnostic, Diagnostics};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Overrides every form's endpoint (staging vs production).
    pub form_endpoint: Option<String>,
    /// Build as of this moment (YYYY-MM-DD or RFC 3339) instead of now.
    pub now: Option<String>,
    /// Also write each generated social card's SVG (`--cards-svg`).
    pub cards_svg: bool,
}

/// Reads the config and applies command-line overrides.
pub fn resolve_config(root: &Path, opts: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(root)?;
    if let Some(endpoint) = &opts.form_endpoint {
        let url = SafeUrl::parse(endpoint)
            .ok()
            .filter(|u| u.is_absolute() || u.0.starts_with('/'))
            .ok_or_else(|| {
                Diagnostic::error(format!(
                    "--form-endpoint must be an http(s) URL or a path on the site, not `{endpoint}`"
                ))
                .with_help("e.g. --form-endpoint https://forms.example.com/leads")
            })?;
        config.forms.endpoint_override = Some(url);
    }
    let base_url = opts.base_url.as_deref();
    if let Some(url) = base_url {
        let url = url.trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Diagnostic::error(format!(
                "--base-url must be an absolute http(s) URL, not `{url}`"
            ))
            .with_help("e.g. --base-url https://www.example.com")
            .into());
        }
        config.base_url = url.to_string();
    }
    Ok(config)
}
