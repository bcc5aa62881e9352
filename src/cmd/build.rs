//! `lander build`: config → load → render → output.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{load_site, LoadOptions};
use crate::error::{Diagnostic, Diagnostics};
use crate::{output, render};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Diagnostics,
}

/// Reads the config and applies command-line overrides.
pub fn resolve_config(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
    let mut config = Config::load(root)?;
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

pub fn build(opts: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let start = Instant::now();
    let config = resolve_config(&opts.root, opts.base_url.as_deref())?;
    let out = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join(&config.output_dir));
    output::check_output_dir(&opts.root, &out)?;
    let minify = config.minify;

    let site = load_site(
        config,
        &LoadOptions {
            root: &opts.root,
            drafts: opts.drafts,
        },
    )?;
    let mut files = render::render_site(&site)?;
    if minify {
        output::minify(&mut files);
    }
    let report = output::write_site(&out, &files, &site.statics)?;
    Ok(BuildSummary {
        pages: report.pages,
        files: report.files,
        elapsed: start.elapsed(),
        output: out,
        warnings: Diagnostics::default(),
    })
}
