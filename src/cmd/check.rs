//! `lander check`: build in memory (config → load → render, like `build`,
//! but the output folder is never touched), then lint the result.

use std::path::PathBuf;

use crate::check::{self, CheckInput, CheckReport};
use crate::cmd::build::{resolve_config, BuildOptions};
use crate::content::date::Date;
use crate::content::{load_site, LoadOptions};
use crate::error::{Diagnostic, Diagnostics};
use crate::render;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Overrides every form's endpoint, as in `build`.
    pub form_endpoint: Option<String>,
    /// Check as of this moment (YYYY-MM-DD or RFC 3339) instead of now.
    pub now: Option<String>,
}

/// Checks the site. A site that does not build is reported too: its build
/// errors are the findings (rule `build`).
pub fn check(opts: &CheckOptions) -> CheckReport {
    build_and_check(opts).unwrap_or_else(CheckReport::from_build_errors)
}

fn build_and_check(opts: &CheckOptions) -> Result<CheckReport, Diagnostics> {
    let build = BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: opts.base_url.clone(),
        drafts: opts.drafts,
        form_endpoint: opts.form_endpoint.clone(),
        now: opts.now.clone(),
    };
    let config = resolve_config(&opts.root, &build)?;
    let now = match &opts.now {
        Some(text) => Date::parse(text).map_err(|e| Diagnostic::error(format!("--now: {e}")))?,
        None => Date::now(),
    };
    let site = load_site(
        config,
        &LoadOptions {
            root: &opts.root,
            drafts: opts.drafts,
            now,
        },
    )?;
    let rendered = render::render_site(&site)?;
    let mut warnings = site.warnings.clone();
    warnings.extend(rendered.warnings);
    Ok(check::run(&CheckInput {
        root: &opts.root,
        site: &site,
        files: &rendered.files,
        warnings: &warnings,
    }))
}
