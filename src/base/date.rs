//! Dates in front matter and offers: `2025-03-14` or RFC 3339
//! (`2025-03-14T09:30:00Z`). Parsed with chrono; an impossible date
//! (2025-02-30) is an error located by serde_yaml at the value.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub at: DateTime<FixedOffset>,
    /// Written without a time: shown and serialised as `YYYY-MM-DD`.
    pub date_only: bool,
}

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        Date::check(text).map_err(|e| e.to_string())
    }

    /// [`Date::parse`], refusing with a typed message and fix.
    pub fn check(text: &str) -> Result<Date, crate::base::invalid::Invalid> {
        let text = text.trim();
        let utc = FixedOffset::east_opt(0).expect("zero offset is valid");
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(Date {
                at,
                date_only: false,
            });
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, fmt) {
                return Ok(Date {
                    at: naive.and_utc().with_timezone(&utc),
                    date_only: false,
                });
            }
        }
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => Ok(Date {
                at: day
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight exists")
                    .and_utc()
                    .with_timezone(&utc),
                date_only: true,
            }),
            Err(e) => Err(crate::base::invalid::Invalid::new(
                text,
                format!("`{text}` is not a valid date ({e})"),
                "write YYYY-MM-DD such as 2025-03-14, or RFC 3339 such as 2025-03-14T09:30:00Z",
            )),
        }
    }

    /// The current moment, in UTC.
    pub fn now() -> Date {
        Date {
            at: chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp(), 0)
                .unwrap_or_default()
                .fixed_offset(),
            date_only: false,
        }
    }

    /// `YYYY-MM-DD` for dates written without a time, RFC 3339 otherwise.
    pub fn to_iso(&self) -> String {
        if self.date_only {
            self.at.format("%Y-%m-%d").to_string()
        } else {
            self.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Checked in the visit of the scalar: located at the value, the fix typed.
        crate::base::invalid::checked_str(d, "a string", Date::check)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dates_and_rfc3339() {
        assert_eq!(Date::parse("2025-03-14").unwrap().to_iso(), "2025-03-14");
        assert_eq!(
            Date::parse("2025-03-14T09:30:00+02:00").unwrap().to_iso(),
            "2025-03-14T09:30:00+02:00"
        );
        assert!(!Date::parse("2025-03-14 09:30:00").unwrap().date_only);
    }

    #[test]
    fn impossible_dates_are_errors() {
        let e = Date::parse("2025-02-30").unwrap_err();
        assert!(e.contains("2025-02-30"), "{e}");
        assert!(Date::parse("yesterday").is_err());
    }

    #[test]
    fn orders_by_instant() {
        assert!(Date::parse("2025-01-01").unwrap() < Date::parse("2025-01-02").unwrap());
    }
}
