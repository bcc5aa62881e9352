//! Every text file of a site (site.yaml, content, offers, data, templates)
//! is read through [`decode_utf8`], so a wrong encoding gets one message.

use std::path::Path;

use crate::base::text::line_col;
use crate::error::Diagnostic;

/// Decodes file bytes as UTF-8 (a leading BOM is dropped), or says where the
/// first invalid byte is.
pub fn decode_utf8(mut bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    // Drop the BOM first, so that it never counts as a column.
    if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Only the valid prefix can be counted in characters.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let (line, column) = line_col(prefix, valid);
            Err(Diagnostic::error(format!(
                "the file is not valid UTF-8 (byte 0x{:02x})",
                bytes[valid]
            ))
            .in_file(path)
            .at(line, column)
            .with_help("save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_utf8(b"---\ntitle: caf\xe9\n".to_vec(), Path::new("a.md")).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(11)));
        assert!(err.message.contains("0xe9"));
    }

    #[test]
    fn bom_is_not_a_column() {
        let err = decode_utf8(b"\xef\xbb\xbftitle: Caf\xe9".to_vec(), Path::new("a")).unwrap_err();
        assert_eq!((err.line, err.column), (Some(1), Some(11)));
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(
            decode_utf8("\u{feff}hi".into(), Path::new("a")).unwrap(),
            "hi"
        );
    }
}
