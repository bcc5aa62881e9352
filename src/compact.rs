//! Compact templates: the theme's and the site's templates are made small
//! once, when they load, so that no page needs a minifying pass after it is
//! rendered. Such a pass (a one-pass minifier) used to undo escaping, drop
//! attributes that scripts select on and break attribute spacing; changing
//! only the template text keeps every page exactly as the template says.
//!
//! The one change made: in markup (outside tera tags and outside `<pre>`,
//! `<textarea>`, `<script>` and `<style>`), a run of whitespace that holds a
//! line break becomes a single line break. The indentation that makes a
//! template readable goes; HTML collapses whitespace the same way before and
//! after, so no page renders differently.

/// Elements whose text is kept byte for byte.
const RAW_ELEMENTS: [&str; 4] = ["pre", "textarea", "script", "style"];

/// The template `text`, compacted (see the module docs).
pub fn compact_template(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Closing tag of the raw element we are in, e.g. "</pre".
    let mut raw_until: Option<&'static str> = None;
    let mut i = 0;
    // Copies text[from..to] unchanged.
    let mut copied = 0;
    while i < bytes.len() {
        // Only ASCII bytes are looked at, so `i` is on a char boundary
        // whenever `text` is sliced there.
        let rest = &bytes[i..];
        if let Some(close) = tera_close(rest) {
            // A tera tag is copied as written, and `{% raw %}` up to its end.
            let mut end = match text[i + 2..].find(close) {
                Some(at) => i + 2 + at + 2,
                None => bytes.len(),
            };
            if close == "%}" && is_raw_block(&text[i..end]) {
                end = find_endraw(text, end).unwrap_or(bytes.len());
            }
            i = end;
            continue;
        }
        match raw_until {
            Some(close) => {
                if starts_with_ignore_case(rest, close) {
                    raw_until = None;
                    i += close.len();
                } else {
                    i += 1;
                }
            }
            None if bytes[i] == b'<' => {
                raw_until = RAW_ELEMENTS.iter().find_map(|name| {
                    let after = rest.get(1..1 + name.len())?;
                    let next = rest.get(1 + name.len()).copied();
                    (after.eq_ignore_ascii_case(name.as_bytes())
                        && matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')))
                    .then(|| closing_tag(name))
                });
                i += 1;
            }
            None if is_space(bytes[i]) => {
                let start = i;
                while i < bytes.len() && is_space(bytes[i]) {
                    i += 1;
                }
                if text[start..i].contains('\n') {
                    out.push_str(&text[copied..start]);
                    out.push('\n');
                    copied = i;
                }
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The closing delimiter if `rest` opens a tera tag.
fn tera_close(rest: &[u8]) -> Option<&'static str> {
    match rest {
        [b'{', b'{', ..] => Some("}}"),
        [b'{', b'%', ..] => Some("%}"),
        [b'{', b'#', ..] => Some("#}"),
        _ => None,
    }
}

fn is_raw_block(tag: &str) -> bool {
    let inner = tag.trim_start_matches("{%").trim_end_matches("%}");
    inner.trim_matches(|c: char| c == '-' || c.is_whitespace()) == "raw"
}

/// The end of the `{% endraw %}` tag after `from`.
fn find_endraw(text: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(open) = text[at..].find("{%") {
        let start = at + open;
        let end = start + 2 + text[start + 2..].find("%}")? + 2;
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if inner == "endraw" {
            return Some(end);
        }
        at = end;
    }
    None
}

fn closing_tag(name: &str) -> &'static str {
    match name {
        "pre" => "</pre",
        "textarea" => "</textarea",
        "script" => "</script",
        _ => "</style",
    }
}

fn starts_with_ignore_case(text: &[u8], prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_goes_and_line_breaks_stay_single() {
        let t = "<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>\n";
        assert_eq!(compact_template(t), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    }

    #[test]
    fn spaces_on_one_line_are_kept() {
        let t = "<p class=\"a  b\">one  two</p> <b>x</b>";
        assert_eq!(compact_template(t), t);
    }

    #[test]
    fn tera_tags_are_copied_as_written() {
        let t = "<p>\n  {{ \"a\n   b\" }}\n  {% if x %}\n    y\n  {% endif %}</p>";
        assert_eq!(
            compact_template(t),
            "<p>\n{{ \"a\n   b\" }}\n{% if x %}\ny\n{% endif %}</p>"
        );
        let raw = "{% raw %}\n   <b>{{ x }}</b>\n   {% endraw %}\n   z";
        assert_eq!(
            compact_template(raw),
            "{% raw %}\n   <b>{{ x }}</b>\n   {% endraw %}\nz"
        );
    }

    #[test]
    fn preformatted_and_script_text_is_kept() {
        let t = "<pre>\n  code\n    more\n</pre>\n  <script>\n  let a = 1\n  let b = 2\n</script>\n  <TEXTAREA>\n  x\n</textarea>\n  <style>\n a { }\n</style>";
        assert_eq!(
            compact_template(t),
            "<pre>\n  code\n    more\n</pre>\n<script>\n  let a = 1\n  let b = 2\n</script>\n<TEXTAREA>\n  x\n</textarea>\n<style>\n a { }\n</style>"
        );
        // `<p>` and `<prefix>` are not `<pre>`.
        assert_eq!(compact_template("<p>\n  a</p>"), "<p>\na</p>");
    }

    #[test]
    fn unclosed_tags_do_not_panic() {
        for t in [
            "{{ x",
            "{% raw %} a",
            "<pre>\n  a",
            "<",
            "{",
            "é\n  é",
            "· {{ a }} ·\n <b>",
        ] {
            let _ = compact_template(t);
        }
        assert_eq!(compact_template("é\n  é"), "é\né");
    }
}
