//! `lander funnel`: build in memory (like `check`, the output folder is
//! never touched), then map the funnel: pages, offers and the
//! calls-to-action between them, stage by stage, and the gaps.

use std::fs;
use std::path::{Path, PathBuf};

pub use crate::check::map::funnel;
use crate::error::{Diagnostic, Diagnostics};
use crate::funnel::{svg, Funnel};

/// Marks the verdicts of the saved report at `path` on the funnel's
/// offers; returns a warning per offer of the report the site lacks.
pub fn overlay_report(funnel: &mut Funnel, path: &Path) -> Result<Diagnostics, Diagnostics> {
    let text = fs::read_to_string(path).map_err(|e| Diagnostic::io(path, "read the report", &e))?;
    let report = crate::report::json::parse(&text).map_err(|e| {
        Diagnostic::error(format!("the report does not parse: {e}"))
            .in_file(path)
            .with_help(
                "give the JSON of `lander report` (ROOT/.lander/report.json, or --format json)",
            )
    })?;
    let mut warnings = Diagnostics::default();
    for id in funnel.overlay(&report) {
        warnings.push(
            Diagnostic::warning(format!("the report's offer `{id}` is not in the funnel"))
                .in_file(path),
        );
    }
    Ok(warnings)
}

/// Writes `DIR/funnel.svg` and `DIR/funnel.json` (creating DIR); returns
/// their paths.
pub fn write(funnel: &Funnel, dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create the folder", &e))?;
    let files = [
        (dir.join("funnel.svg"), svg::draw(funnel)),
        (dir.join("funnel.json"), funnel.to_json()),
    ];
    for (path, text) in &files {
        fs::write(path, text).map_err(|e| Diagnostic::io(path, "write the file", &e))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
