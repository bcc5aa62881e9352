//! Lines of a card's text. SVG does not wrap text, so the card template
//! asks for its lines: `wrap(text=…, size=64, width=1040, lines=3)` measures
//! the words with the font that draws them (shaped by rustybuzz, as usvg
//! shapes them) and breaks them greedily; what does not fit ends in "…".

use std::collections::HashMap;

use rustybuzz::{Face, UnicodeBuffer};
use serde_json::Value;

use super::fonts::Script;

/// Width in pixels of `text` set at `size` px in `face`.
fn width(face: &Face, text: &str, size: f32) -> f32 {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let glyphs = rustybuzz::shape(face, &[], buffer);
    let units: i32 = glyphs.glyph_positions().iter().map(|p| p.x_advance).sum();
    units as f32 * size / f32::from(face.units_per_em().max(1) as u16)
}

/// The faces text is measured with, parsed once (a face's tables take
/// longer to read than a title takes to shape).
pub struct Faces {
    /// By script, regular then bold: Latin, Arabic, Hebrew.
    faces: Vec<Option<Face<'static>>>,
}

impl Faces {
    pub fn new() -> Faces {
        let faces = [Script::Latin, Script::Arabic, Script::Hebrew]
            .iter()
            .flat_map(|s| [s.font(false), s.font(true)])
            .map(|bytes| Face::from_slice(bytes, 0))
            .collect();
        Faces { faces }
    }

    fn get(&self, script: Script, bold: bool) -> Option<&Face<'static>> {
        let i = match script {
            Script::Latin => 0,
            Script::Arabic => 2,
            Script::Hebrew => 4,
        } + usize::from(bold);
        self.faces.get(i)?.as_ref()
    }

    /// `text` broken into at most `max_lines` lines no wider than
    /// `max_width` at `size` px, in logical order (the renderer applies the
    /// bidi order). Words are shaped one by one (letters join within a
    /// word, never across a space), and a line is as wide as its words and
    /// spaces.
    pub fn wrap(
        &self,
        text: &str,
        size: f32,
        max_width: f32,
        max_lines: usize,
        bold: bool,
    ) -> Vec<String> {
        let Some(face) = self.get(Script::of(text), bold) else {
            return vec![text.to_string()];
        };
        let measure = |t: &str| width(face, t, size);
        let space = measure(" ");
        let mut lines: Vec<(String, f32)> = Vec::new();
        let mut current = String::new();
        let mut current_width = 0.0;
        let mut cut = false;
        for word in text.split_whitespace() {
            let w = measure(word);
            if current.is_empty() && w <= max_width {
                current.push_str(word);
                current_width = w;
                continue;
            }
            if !current.is_empty() && current_width + space + w <= max_width {
                current.push(' ');
                current.push_str(word);
                current_width += space + w;
                continue;
            }
            if !current.is_empty() {
                lines.push((std::mem::take(&mut current), current_width));
            }
            if lines.len() == max_lines {
                cut = true;
                break;
            }
            if w <= max_width {
                current = word.to_string();
                current_width = w;
                continue;
            }
            // A word wider than a line is broken where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if piece.chars().count() > 1 && measure(&piece) > max_width {
                    piece.pop();
                    let w = measure(&piece);
                    lines.push((std::mem::take(&mut piece), w));
                    piece.push(c);
                    if lines.len() == max_lines {
                        cut = true;
                        break;
                    }
                }
            }
            if cut {
                break;
            }
            current_width = measure(&piece);
            current = piece;
        }
        if !cut && !current.is_empty() {
            if lines.len() < max_lines {
                lines.push((current, current_width));
            } else {
                cut = true;
            }
        }
        let mut lines: Vec<String> = lines.into_iter().map(|(l, _)| l).collect();
        if cut {
            if let Some(last) = lines.last_mut() {
                *last = with_ellipsis(last, &|t: &str| measure(t) <= max_width);
            }
        }
        lines
    }
}

impl Default for Faces {
    fn default() -> Self {
        Faces::new()
    }
}

/// `text` wrapped with freshly parsed faces (see [`Faces::wrap`]).
pub fn wrap(text: &str, size: f32, max_width: f32, max_lines: usize, bold: bool) -> Vec<String> {
    Faces::new().wrap(text, size, max_width, max_lines, bold)
}

/// `line` shortened on a word (or a letter) until it fits with "…" after it.
fn with_ellipsis(line: &str, fits: &dyn Fn(&str) -> bool) -> String {
    let mut text = line.trim_end().to_string();
    loop {
        let candidate = format!("{text}…");
        if fits(&candidate) || text.is_empty() {
            return candidate;
        }
        match text.rfind(' ') {
            Some(at) if at > 0 => text.truncate(at),
            _ => {
                text.pop();
            }
        }
        text = text
            .trim_end_matches([' ', ',', ';', ':', '-', '–', '—', '،'])
            .to_string();
    }
}

/// The tera function `wrap(text, size, width, lines, bold)` of card templates.
#[derive(Default)]
pub struct WrapFn {
    faces: Faces,
}

impl tera::Function for WrapFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = args
            .get("text")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("wrap() needs `text`, a string"))?;
        let number = |key: &str, default: f64| {
            args.get(key).map_or(Ok(default), |v| {
                v.as_f64().filter(|n| *n > 0.0).ok_or_else(|| {
                    tera::Error::msg(format!("wrap(): `{key}` must be a positive number"))
                })
            })
        };
        let size = number("size", 64.0)? as f32;
        let width = number("width", 1040.0)? as f32;
        let lines = number("lines", 3.0)? as usize;
        let bold = args.get("bold").and_then(Value::as_bool).unwrap_or(true);
        Ok(self.faces.wrap(text, size, width, lines, bold).into())
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_titles_stay_on_one_line() {
        assert_eq!(
            wrap("Spring harvest", 64.0, 1040.0, 3, true),
            ["Spring harvest"]
        );
    }

    #[test]
    fn long_titles_wrap_on_words_and_end_in_an_ellipsis() {
        let title = "How we press early-harvest olives within four hours of picking, and why it matters for the taste, the colour and the polyphenols of the oil you buy";
        let lines = wrap(title, 64.0, 1040.0, 3, true);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].ends_with('…'), "{lines:?}");
        let face = Face::from_slice(Script::Latin.font(true), 0).unwrap();
        for l in &lines {
            assert!(width(&face, l, 64.0) <= 1040.0, "{l}");
        }
        // Words are never split when they fit: every line but the cut one is a prefix of words.
        let joined = lines[..2].join(" ");
        assert!(title.starts_with(&joined), "{joined}");
        // All of a title that fits is kept.
        let two = wrap(
            "How we press early-harvest olives within four hours of picking",
            64.0,
            1040.0,
            3,
            true,
        );
        assert_eq!(
            two.join(" "),
            "How we press early-harvest olives within four hours of picking"
        );
        assert!(two.len() >= 2);
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken() {
        let lines = wrap(&"x".repeat(200), 64.0, 1040.0, 2, true);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
    }

    #[test]
    fn arabic_is_measured_with_the_arabic_font() {
        let title =
            "كيف نعصر الزيتون المبكر خلال أربع ساعات من القطف ولماذا يهم ذلك لطعم الزيت ولونه";
        let lines = wrap(title, 64.0, 600.0, 2, true);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with('…'));
        assert!(title.starts_with(&lines[0]));
    }
}
