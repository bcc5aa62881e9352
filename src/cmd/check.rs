//! `lander check`: build in memory (config → load → render, like `build`,
//! but the output folder is never touched), then lint the result.

use std::path::{Path, PathBuf};

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
        cards: &rendered.cards,
        warnings: &warnings,
    }))
}

/// The site folder relative to the root of its repository (the nearest
/// folder above it with a `.git`), for CI formats that name files as the
/// repository does: `site` when the site lives in `site/`. Outside a
/// repository, the folder as given when it is relative (CI runs from the
/// checkout), else nothing.
pub fn repo_prefix(root: &Path) -> PathBuf {
    let given = || {
        if root.is_relative() {
            root.to_path_buf()
        } else {
            PathBuf::new()
        }
    };
    let Ok(abs) = root.canonicalize() else {
        return given();
    };
    abs.ancestors()
        .find(|dir| dir.join(".git").exists())
        .and_then(|repo| abs.strip_prefix(repo).ok())
        .map_or_else(given, Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_the_site_folder_within_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("sites/shop")).unwrap();
        assert_eq!(
            repo_prefix(&dir.path().join("sites/shop")),
            PathBuf::from("sites/shop")
        );
        assert_eq!(repo_prefix(dir.path()), PathBuf::new());
    }
}
