//! Checks made before any page is rendered: every `layout:` names a
//! template the theme or the site has.

use crate::content::Site;
use crate::error::{Diagnostic, Diagnostics};
use crate::theme::Theme;

/// Every page that uses a layout must find its template.
pub(super) fn check_layouts(site: &Site, theme: &Theme) -> Result<(), Diagnostics> {
    let mut errs = Diagnostics::default();
    for p in &site.pages {
        let name = p.template();
        if p.meta.layout.is_some() && !theme.has_template(&name) {
            errs.push(
                Diagnostic::error(format!(
                    "no template `{name}` for `layout: {}`",
                    p.meta.layout.as_deref().unwrap_or_default()
                ))
                .in_file(&p.source)
                .at(p.key_lines.line("layout"), 1)
                .with_help(format!(
                    "create templates/{name} in the site, or use one of: {}",
                    theme
                        .template_names()
                        .iter()
                        .map(|n| n.trim_end_matches(".html"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}
