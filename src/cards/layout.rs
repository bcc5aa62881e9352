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

/// `text` broken into at most `max_lines` lines no wider than `max_width`
/// at `size` px, in logical order (the renderer applies the bidi order).
pub fn wrap(text: &str, size: f32, max_width: f32, max_lines: usize, bold: bool) -> Vec<String> {
    let Some(face) = Face::from_slice(Script::of(text).font(bold), 0) else {
        return vec![text.to_string()];
    };
    let fits = |line: &str| width(&face, line, size) <= max_width;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    let mut cut = false;
    while let Some(word) = words.next() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if lines.len() == max_lines {
            cut = true;
            break;
        }
        // A word wider than a line is broken where it must be.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if !fits(&piece) && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
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
        current = piece;
        if words.peek().is_none() {
            break;
        }
    }
    if !cut && !current.is_empty() {
        if lines.len() < max_lines {
            lines.push(current);
        } else {
            cut = true;
        }
    }
    if cut {
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, &fits);
        }
    }
    lines
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
        text = text.trim_end_matches([' ', ',', ';', ':', '-', '–', '—', '،']).to_string();
    }
}

/// The tera function `wrap(text, size, width, lines, bold)` of card templates.
pub struct WrapFn;

impl tera::Function for WrapFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = args
            .get("text")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("wrap() needs `text`, a string"))?;
        let number = |key: &str, default: f64| {
            args.get(key).map_or(Ok(default), |v| {
                v.as_f64()
                    .filter(|n| *n > 0.0)
                    .ok_or_else(|| tera::Error::msg(format!("wrap(): `{key}` must be a positive number")))
            })
        };
        let size = number("size", 64.0)? as f32;
        let width = number("width", 1040.0)? as f32;
        let lines = number("lines", 3.0)? as usize;
        let bold = args.get("bold").and_then(Value::as_bool).unwrap_or(true);
        Ok(wrap(text, size, width, lines, bold).into())
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
        assert_eq!(wrap("Spring harvest", 64.0, 1040.0, 3, true), ["Spring harvest"]);
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
        let two = wrap("How we press early-harvest olives within four hours of picking", 64.0, 1040.0, 3, true);
        assert_eq!(two.join(" "), "How we press early-harvest olives within four hours of picking");
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
        let title = "كيف نعصر الزيتون المبكر خلال أربع ساعات من القطف ولماذا يهم ذلك لطعم الزيت ولونه";
        let lines = wrap(title, 64.0, 600.0, 2, true);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with('…'));
        assert!(title.starts_with(&lines[0]));
    }
}
