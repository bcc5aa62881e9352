//! The report as JSON for tools, and back: `lander check` reads the last
//! one `lander report` saved.

use super::Report;

/// The report as pretty JSON, with a final newline.
pub fn json(report: &Report) -> String {
    // A struct of strings, numbers and options always serialises.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

/// Reads a saved report back.
pub fn parse(text: &str) -> Result<Report, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::super::read::{Counts, Notes};
    use super::*;

    #[test]
    fn round_trips() {
        let counts = vec![(
            "pop".to_string(),
            vec![
                (
                    "a".to_string(),
                    Counts {
                        views: 100,
                        leads: 3,
                    },
                ),
                ("b".to_string(), Counts { views: 0, leads: 0 }),
            ],
        )];
        let report = super::super::analyse(counts, None, &Notes::default());
        let text = json(&report);
        assert_eq!(parse(&text).unwrap(), report);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["offers"][0]["variants"][1]["rate"],
            serde_json::Value::Null
        );
        assert_eq!(v["offers"][0]["verdict"]["status"], "not_enough_data");
    }
}
