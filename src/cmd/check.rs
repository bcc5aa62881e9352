//! `lander check`: build in memory (config → load → render, like `build`,
//! but the output folder is never touched), then lint the result.

use crate::check::{self, CheckInput, CheckReport};
use crate::cmd::build::{load_and_render, resolve_config, BuildOptions, InMemory};
use crate::error::Diagnostics;

/// Checks the site. A site that does not build is reported too: its build
/// errors are the findings (rule `build`).
pub fn check(opts: &BuildOptions) -> CheckReport {
    build_and_check(opts).unwrap_or_else(CheckReport::from_build_errors)
}

fn build_and_check(opts: &BuildOptions) -> Result<CheckReport, Diagnostics> {
    let config = resolve_config(&opts.root, opts)?;
    let InMemory { site, rendered, .. } = load_and_render(opts, config)?;
    let mut warnings = site.warnings.clone();
    warnings.extend(rendered.warnings);
    Ok(check::run(&CheckInput {
        root: &opts.root,
        site: &site,
        files: &rendered.files,
        warnings: &warnings,
    }))
}
