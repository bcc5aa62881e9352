//! Error dedupe: a template bug reported once, not once per page.

use crate::error::{Diagnostic, Diagnostics};

/// One template bug fails every page that uses it: report it once.
pub(super) fn dedupe(errs: Diagnostics) -> Diagnostics {
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in errs.0 {
        match out
            .iter_mut()
            .find(|(o, _)| o.path == d.path && o.line == d.line && o.message == d.message)
        {
            Some((_, n)) => *n += 1,
            None => out.push((d, 0)),
        }
    }
    let mut result = Diagnostics(
        out.into_iter()
            .map(|(mut d, more)| {
                if more > 0 {
                    let help = d.help.take().unwrap_or_default();
                    d.help = Some(format!(
                        "{help} (and {more} more page(s) failed the same way)"
                    ));
                }
                d
            })
            .collect(),
    );
    result.sort();
    result
}
