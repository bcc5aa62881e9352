//! The language a page is rendered in, as templates see it: `lang` (code,
//! direction, locale), `t` (the theme's strings), the language switcher,
//! and text that depends on the locale (prices, incentives, dates).

use serde::Serialize;

use super::urls::Urls;
use crate::base::number::NumberFormat;
use crate::config::Language;
use crate::content::offer::{Incentive, IncentiveType};
use crate::i18n::{fill, Strings};

/// Everything a view needs to speak one language.
pub struct Locale<'a> {
    /// Index into `Site::languages`.
    pub index: usize,
    pub lang: &'a Language,
    pub strings: &'a Strings,
    pub numbers: NumberFormat,
}

impl<'a> Locale<'a> {
    pub fn new(index: usize, lang: &'a Language, strings: &'a Strings) -> Self {
        Locale {
            index,
            lang,
            strings,
            numbers: NumberFormat::new(&lang.locale),
        }
    }

    /// A theme string (every key exists: missing ones fell back to the
    /// default language when the site was assembled).
    pub fn t<'s>(&'s self, key: &'s str) -> &'s str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// A theme string with its `{name}` parts filled in.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// "10% off", "خصم ١٠٪", "Free shipping"…
    pub fn incentive(&self, i: &Incentive) -> String {
        let value = i.value.unwrap_or(0.0);
        match i.kind {
            IncentiveType::Percent => {
                self.tf("percent_off", &[("value", &self.numbers.percent(value))])
            }
            IncentiveType::Amount => self.tf(
                "amount_off",
                &[("value", &self.numbers.amount(value, i.currency.as_deref()))],
            ),
            IncentiveType::FreeShipping => self.t("free_shipping").to_string(),
            IncentiveType::Content => self.t("free").to_string(),
        }
    }

    /// "5 min read", "قراءة في ٥ دقائق".
    pub fn reading_time(&self, minutes: usize) -> String {
        self.tf("min_read", &[("n", &self.numbers.integer(minutes as u64))])
    }

    /// A whole number for people: `1,234`, `١٬٢٣٤`.
    pub fn count(&self, n: usize) -> String {
        self.numbers.integer(n as u64)
    }

    /// A rating out of 5: `4.5/5`, `٤٫٥/٥`.
    pub fn rating_out_of_5(&self, value: f64) -> String {
        format!(
            "{}/{}",
            self.numbers
                .number(value, usize::from(value.fract() != 0.0)),
            self.numbers.integer(5)
        )
    }

    /// A front matter date as words, on the day it was written (its own
    /// offset, not UTC).
    pub fn date_of(&self, date: &crate::base::date::Date) -> String {
        self.date(date.at.date_naive())
    }

    /// A date as words: "8 March 2026", "٨ مارس ٢٠٢٦".
    pub fn date(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let months: Vec<&str> = self.t("months").split(',').map(str::trim).collect();
        let month = months
            .get(date.month0() as usize)
            .map_or_else(|| date.format("%B").to_string(), |m| m.to_string());
        self.tf(
            "date",
            &[
                ("day", &self.numbers.integer(u64::from(date.day()))),
                ("month", &month),
                (
                    "year",
                    &self.numbers.digits(u64::try_from(date.year()).unwrap_or(0)),
                ),
            ],
        )
    }
}

/// `lang` in templates.
#[derive(Serialize)]
pub struct LangView<'a> {
    pub code: &'a str,
    /// `ltr` or `rtl`, for `<html dir>`.
    pub dir: &'static str,
    pub locale: &'a str,
    pub name: &'a str,
    /// Path of this language's home page.
    pub home: String,
}

impl<'a> LangView<'a> {
    pub fn new(lang: &'a Language, urls: Urls) -> Self {
        LangView {
            code: &lang.code,
            dir: lang.direction.as_str(),
            locale: &lang.locale,
            name: &lang.name,
            home: urls.path(&lang.path("/")),
        }
    }
}

/// One link of the language switcher.
#[derive(Serialize)]
pub struct SwitchLink<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub dir: &'static str,
    pub url: String,
    /// This page in that language exists (else the link goes to its home).
    pub translated: bool,
    pub current: bool,
}

/// The switcher of a page in language `current`: every language, linking
/// to the page's translation (`alternates`: language index → site path)
/// or to that language's home page.
pub fn switcher<'a>(
    languages: &'a [Language],
    current: usize,
    alternates: &[(usize, String)],
    urls: Urls,
) -> Vec<SwitchLink<'a>> {
    if languages.len() < 2 {
        return Vec::new();
    }
    languages
        .iter()
        .enumerate()
        .map(|(l, lang)| {
            let found = alternates.iter().find(|(x, _)| *x == l);
            SwitchLink {
                code: &lang.code,
                name: &lang.name,
                dir: lang.direction.as_str(),
                url: urls.path(&found.map_or_else(|| lang.path("/"), |(_, p)| p.clone())),
                translated: found.is_some(),
                current: l == current,
            }
        })
        .collect()
}

/// An English and Arabic (`ar-EG`) site's languages with the theme's
/// strings for each, from which tests make a [`Locale`]:
/// `Locale::new(1, &langs[1], &strings[1])`.
#[cfg(test)]
pub fn test_languages() -> (Vec<Language>, [Strings; 2]) {
    let cfg = crate::config::Config::parse(
        "title: S\nlanguages: { ar: { locale: ar-EG } }\n",
        std::path::Path::new("site.yaml"),
    )
    .unwrap();
    let strings = ["en", "ar"].map(|code| crate::i18n::theme_strings(code).unwrap());
    (cfg.languages(), strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_incentives_and_dates() {
        let (langs, strings) = test_languages();
        let loc = Locale::new(1, &langs[1], &strings[1]);
        let pct = Incentive {
            kind: IncentiveType::Percent,
            value: Some(10.0),
            currency: None,
        };
        assert_eq!(loc.incentive(&pct), "خصم ١٠٪");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(loc.date(d), "٨ مارس ٢٠٢٦");
        assert_eq!(loc.reading_time(5), "قراءة في ٥ دقائق");
        assert_eq!(loc.rating_out_of_5(4.5), "٤٫٥/٥");
        let en = Locale::new(0, &langs[0], &strings[0]);
        assert_eq!(en.date(d), "8 March 2026");
        assert_eq!(en.reading_time(12), "12 min read");
        assert_eq!(en.rating_out_of_5(4.0), "4/5");
        assert_eq!(en.count(1234), "1,234");
    }

    #[test]
    fn switcher_falls_back_to_home() {
        let (langs, _) = test_languages();
        let urls = Urls {
            base_url: "https://x.com",
            base_path: "",
        };
        let links = switcher(&langs, 0, &[(0, "/blog/a/".into())], urls);
        assert_eq!(links[0].url, "/blog/a/");
        assert!(links[0].current);
        assert_eq!(links[1].url, "/ar/");
        assert!(!links[1].translated);
    }
}
