//! The default theme, compiled into the binary: its templates and assets
//! (`theme`), its strings (`i18n`) and its card fonts (`cards`).

use include_dir::{include_dir, Dir};

/// `themes/default/`: `templates/` for tera, `static/` for fingerprinted assets.
pub static DEFAULT_THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
