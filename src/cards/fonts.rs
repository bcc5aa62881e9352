//! The fonts of social cards, shipped in the binary (`themes/default/fonts/`,
//! Noto Sans for Latin, Greek and Cyrillic, Noto Sans Arabic, Noto Sans
//! Hebrew; OFL), so that a card looks the same on every machine.

use std::sync::Arc;

use resvg::usvg::fontdb;

use crate::base::embedded::DEFAULT_THEME;

/// The families a card template can name in `font-family`.
pub const FAMILIES: [&str; 3] = ["Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew"];

const FILES: [&str; 6] = [
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansHebrew-Bold.ttf",
];

/// The bytes of a font file of the theme (empty if the theme lacks it,
/// which a unit test rules out).
pub fn file(name: &str) -> &'static [u8] {
    DEFAULT_THEME
        .get_file(format!("fonts/{name}"))
        .map_or(&[], |f| f.contents())
}

/// Which script a text is mostly written in, for measuring it with the
/// right font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
    Hebrew,
}

impl Script {
    /// The script of the first strong letter: a title is measured with the
    /// font of its main script (usvg falls back per character when drawing).
    pub fn of(text: &str) -> Script {
        for c in text.chars() {
            match c as u32 {
                0x0590..=0x05FF | 0xFB1D..=0xFB4F => return Script::Hebrew,
                0x0600..=0x06FF
                | 0x0750..=0x077F
                | 0x08A0..=0x08FF
                | 0xFB50..=0xFDFF
                | 0xFE70..=0xFEFF => return Script::Arabic,
                _ if c.is_alphabetic() => return Script::Latin,
                _ => {}
            }
        }
        Script::Latin
    }

    /// The font file of this script in a weight.
    pub fn font(self, bold: bool) -> &'static [u8] {
        let i = match self {
            Script::Latin => 0,
            Script::Arabic => 2,
            Script::Hebrew => 4,
        } + usize::from(bold);
        file(FILES[i])
    }
}

/// The font database usvg draws with: the shipped fonts only (no system
/// fonts, so the output does not depend on the machine). Built once per
/// run of the card stage and shared by its threads.
pub fn database() -> Arc<fontdb::Database> {
    let mut db = fontdb::Database::new();
    for name in FILES {
        db.load_font_source(fontdb::Source::Binary(Arc::new(file(name))));
    }
    db.set_sans_serif_family(FAMILIES[0]);
    Arc::new(db)
}

/// Changes whenever a shipped font or the rasteriser changes: part of the
/// key of every cached card.
pub fn version() -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"resvg 0.45\n");
    for name in FILES {
        h.update(file(name));
    }
    h.finalize().to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_is_shipped_with_its_licence() {
        for name in FILES {
            assert!(file(name).len() > 10_000, "{name}");
        }
        assert!(DEFAULT_THEME.get_file("fonts/OFL.txt").is_some());
        let db = database();
        for family in FAMILIES {
            assert!(
                db.faces()
                    .any(|f| f.families.iter().any(|(n, _)| n == family)),
                "{family}"
            );
        }
    }

    #[test]
    fn the_fonts_cover_the_theme_languages() {
        for (script, sample) in [
            (
                Script::Latin,
                "Olive oil: crème brûlée, Ωmega, Ёлка – “€10”",
            ),
            (Script::Arabic, "زيت الزيتون البكر الممتاز"),
            (Script::Hebrew, "שמן זית כתית מעולה"),
        ] {
            assert_eq!(Script::of(sample), script);
            for bold in [false, true] {
                let face = rustybuzz::ttf_parser::Face::parse(script.font(bold), 0).unwrap();
                for c in sample.chars().filter(|c| !c.is_whitespace()) {
                    assert!(face.glyph_index(c).is_some(), "{c:?} in {script:?}");
                }
            }
        }
    }
}
