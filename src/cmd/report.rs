//! `lander report`: reads views and leads per offer variant, says which
//! variant won, and saves the result in `ROOT/.lander/report.json` for
//! `lander check`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::load::read_offers;
use crate::error::{Diagnostic, Diagnostics};
use crate::report::read::{self, Known, Notes, Tally};
use crate::report::{self, json, Report, SAVED_REPORT};

/// What to read.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The site folder. When it has a `site.yaml`, its offers order the
    /// variants and catch typos, and the report is saved there.
    pub root: PathBuf,
    /// The capture file of `lander serve`, or a CSV export of leads.
    pub leads: PathBuf,
    /// A CSV `offer,variant,views`.
    pub views: PathBuf,
}

/// The report, the warnings about the rows, and where it was saved.
#[derive(Debug)]
pub struct ReportRun {
    pub report: Report,
    pub warnings: Diagnostics,
    pub saved: Option<PathBuf>,
}

/// Reads both files and works the report out. Files that cannot be read,
/// or lack the columns needed, are errors; bad rows are warnings.
pub fn report(opts: &ReportOptions) -> Result<ReportRun, Diagnostics> {
    let in_site = opts.root.join(CONFIG_FILE).is_file();
    let known = if in_site {
        Some(site_offers(&opts.root)?)
    } else {
        None
    };
    let mut tally = Tally::default();
    let mut notes = Notes::default();
    let mut errs = Diagnostics::default();
    // Views first: their order is the order of the report.
    if let Err(e) = read::views(&opts.views, known.as_ref(), &mut tally, &mut notes) {
        errs.extend(e);
    }
    if let Err(e) = read::leads(&opts.leads, known.as_ref(), &mut tally, &mut notes) {
        errs.extend(e);
    }
    if errs.has_errors() {
        return Err(errs);
    }
    let counts = tally.into_sorted();
    for (offer, variants) in &counts {
        for (variant, c) in variants {
            if c.leads > 0 && c.views == 0 {
                let which = if variant.is_empty() {
                    format!("`{offer}`")
                } else {
                    format!("`{offer}` variant `{variant}`")
                };
                notes.warnings.push(
                    Diagnostic::warning(format!(
                        "{} leads of {which} but no views of it: its rate cannot be worked out",
                        c.leads
                    ))
                    .in_file(&opts.views)
                    .with_help(
                        "export the offer_view events of every variant (see the report docs)",
                    ),
                );
            }
        }
    }
    let report = report::analyse(counts, known.as_ref(), &notes);
    let mut warnings = notes.warnings;
    let saved = if in_site {
        match save(&opts.root, &report) {
            Ok(path) => Some(path),
            Err(d) => {
                warnings.push(d);
                None
            }
        }
    } else {
        None
    };
    Ok(ReportRun {
        report,
        warnings,
        saved,
    })
}

/// The site's offers and their variant ids, every variant of the file
/// (a `winner` locks the page on one, the others still count here).
fn site_offers(root: &Path) -> Result<Known, Diagnostics> {
    let mut errs = Diagnostics::default();
    let mut known = Known::new();
    for (_, offer) in read_offers(root) {
        match offer {
            Ok(o) => {
                known.insert(o.id.clone(), o.variant_ids.clone());
            }
            Err(e) => errs.extend(e),
        }
    }
    if errs.has_errors() {
        Err(errs)
    } else {
        Ok(known)
    }
}

fn save(root: &Path, report: &Report) -> Result<PathBuf, Diagnostic> {
    let path = root.join(SAVED_REPORT);
    let dir = path.parent().unwrap_or(root);
    fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create the folder", &e))?;
    fs::write(&path, json::json(report))
        .map_err(|e| Diagnostic::io(&path, "save the report", &e))?;
    Ok(path)
}

/// Writes the report to `path` (the `--output` of the command).
pub fn write(path: &Path, text: &str) -> Result<(), Diagnostics> {
    fs::write(path, text).map_err(|e| Diagnostic::io(path, "write the report", &e).into())
}
