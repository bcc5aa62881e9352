//! Numbers and prices for people, in the page's locale: Arabic-Indic digits
//! and Arabic separators for `ar-EG`, `1,234.50` for `en`, the currency
//! symbol before or after the number. JSON-LD keeps plain numbers.
//!
//! Digits and separators come from CLDR through ICU4X's `icu_decimal` (the
//! ICU4X crates are already compiled for `url`); only where the symbol goes
//! is decided here, from a short table, since ICU4X's currency formatter is
//! still experimental.

use icu_decimal::input::Decimal;
use icu_decimal::options::GroupingStrategy;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;

/// A locale ICU knows how to parse (`ar-EG`, `en`, `pt_BR`).
pub fn parse_locale(text: &str) -> Option<Locale> {
    text.replace('_', "-").parse().ok()
}

/// Formats numbers for one locale.
pub struct NumberFormat {
    formatter: Option<DecimalFormatter>,
    /// The same without grouping separators (years).
    plain: Option<DecimalFormatter>,
    language: String,
}

impl NumberFormat {
    /// The formatter of `locale`; an unknown locale formats like `und`
    /// (Latin digits, `.` and `,`).
    pub fn new(locale: &str) -> NumberFormat {
        let parsed = parse_locale(locale).unwrap_or(Locale::UNKNOWN);
        let language = parsed.id.language.as_str().to_string();
        let formatter = DecimalFormatter::try_new((&parsed).into(), Default::default()).ok();
        let plain =
            DecimalFormatter::try_new((&parsed).into(), GroupingStrategy::Never.into()).ok();
        NumberFormat {
            formatter,
            plain,
            language,
        }
    }

    /// `value` with `decimals` digits after the point (0 drops the point).
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let plain = format!("{value:.decimals$}");
        match (&self.formatter, plain.parse::<Decimal>()) {
            (Some(f), Ok(d)) => f.format(&d).to_string(),
            _ => plain,
        }
    }

    /// A whole number: `1234` → `١٬٢٣٤` in `ar-EG`.
    pub fn integer(&self, value: u64) -> String {
        match &self.formatter {
            Some(f) => f.format(&Decimal::from(value)).to_string(),
            None => value.to_string(),
        }
    }

    /// A whole number without grouping separators: a year, `٢٠٢٦`.
    pub fn digits(&self, value: u64) -> String {
        match &self.plain {
            Some(f) => f.format(&Decimal::from(value)).to_string(),
            None => value.to_string(),
        }
    }

    /// A price: two decimals unless whole, the currency symbol placed as
    /// the locale does: `€14.50` in English, `١٤٫٥٠ €` in Arabic.
    pub fn amount(&self, value: f64, currency: Option<&str>) -> String {
        let decimals = if value.fract() == 0.0 { 0 } else { 2 };
        let number = self.number(value, decimals);
        let Some(code) = currency else {
            return number;
        };
        let symbol = currency_symbol(code, &self.language);
        match (symbol, self.symbol_first()) {
            (Some(sym), true) => format!("{sym}{number}"),
            // A no-break space keeps the number and its currency together.
            (Some(sym), false) => format!("{number}\u{a0}{sym}"),
            (None, _) => format!("{number}\u{a0}{}", code.to_ascii_uppercase()),
        }
    }

    /// A percentage: `10%`, `١٠٪؜` in Arabic.
    pub fn percent(&self, value: f64) -> String {
        let decimals = if value.fract() == 0.0 { 0 } else { 1 };
        let number = self.number(value, decimals);
        match self.language.as_str() {
            "ar" => format!("{number}٪"),
            "fa" => format!("{number}٪"),
            _ => format!("{number}%"),
        }
    }

    /// Languages that write the symbol before the number (CLDR patterns
    /// `¤#,##0.00`); most others put it after, with a space.
    fn symbol_first(&self) -> bool {
        matches!(
            self.language.as_str(),
            "en" | "ja" | "zh" | "ko" | "th" | "ms" | "und" | ""
        )
    }
}

fn currency_symbol(code: &str, language: &str) -> Option<&'static str> {
    let code = code.to_ascii_uppercase();
    Some(match (code.as_str(), language) {
        ("EUR", _) => "€",
        ("GBP", _) => "£",
        ("JPY", _) => "¥",
        ("USD", "ar") => "US$",
        ("USD", _) => "$",
        ("ILS", _) => "₪",
        ("EGP", "ar") => "ج.م.\u{200f}",
        ("SAR", "ar") => "ر.س.\u{200f}",
        ("AED", "ar") => "د.إ.\u{200f}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_prices_put_the_symbol_first() {
        let en = NumberFormat::new("en");
        assert_eq!(en.amount(14.5, Some("EUR")), "€14.50");
        assert_eq!(en.amount(1234.0, Some("USD")), "$1,234");
        assert_eq!(en.amount(3.0, Some("CHF")), "3\u{a0}CHF");
        assert_eq!(en.percent(10.0), "10%");
    }

    #[test]
    fn egyptian_arabic_uses_arabic_indic_digits() {
        let ar = NumberFormat::new("ar-EG");
        assert_eq!(ar.amount(14.5, Some("EUR")), "١٤٫٥٠\u{a0}€");
        assert_eq!(ar.integer(1234), "١٬٢٣٤");
        assert_eq!(ar.percent(10.0), "١٠٪");
    }

    #[test]
    fn unknown_locale_still_formats() {
        assert_eq!(NumberFormat::new("!!").number(2.5, 2), "2.50");
    }
}
