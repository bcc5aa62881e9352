//! A value lander's own checks refuse, typed (see [`Invalid`]); `error`
//! turns it into a diagnostic.

use std::fmt;

/// A value lander's own checks refuse (an impossible date, an unsafe URL, an
/// id with a slash), with what to do instead: raised inside `Deserialize`
/// impls by [`Invalid::raise`].
///
/// Design: serde's `de::Error::custom` carries only a string, and splitting
/// that string again loses the fix as soon as the wording changes. So the
/// checks run inside the visit of the scalar itself (see [`checked_str`]):
/// serde_yaml then locates the error at the value, and its typed
/// `Error::location()` is the position. The typed `Invalid` travels beside
/// the error, in a per-thread slot that `error::parse_yaml` opens before
/// deserializing and empties after, so it cannot outlive the parse it
/// belongs to. Deserialization stops at the first error and lander's types
/// never swallow one (no untagged enums), so what was raised during a
/// failed parse is what failed it. Leniently deserialized strings checked
/// afterwards were the alternative, but nested values (an offer's
/// `cta.url`, `form.hubspot.portal_id`) have no known line once the typed
/// struct is built, and `Date`/`SafeUrl` would stop being types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The value as written (trimmed); empty when it is not a scalar.
    pub value: String,
    /// What is wrong, e.g. "`2025-02-30` is not a valid date (…)".
    pub message: String,
    /// What to do instead: the `help:` line.
    pub fix: String,
}

impl Invalid {
    pub fn new(
        value: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Invalid {
        Invalid {
            value: value.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// This check's failure as serde error `E`: the text is
    /// `message; fix` (what a caller of `serde_yaml` directly sees), and
    /// inside `error::parse_yaml` the typed value goes to the diagnostic.
    pub fn raise<E: serde::de::Error>(self) -> E {
        let err = E::custom(&self);
        RAISED.with(|slot| {
            if let Some(raised) = slot.borrow_mut().as_mut() {
                *raised = Some(self);
            }
        });
        err
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.message, self.fix)
    }
}

thread_local! {
    /// `None` outside `error::parse_yaml`; inside, the [`Invalid`] raised, if any.
    static RAISED: std::cell::RefCell<Option<Option<Invalid>>> =
        const { std::cell::RefCell::new(None) };
}

/// Deserializes a string, checked by `check` inside the visit of the
/// scalar, so that serde_yaml locates a refusal at the value itself (not
/// at the mapping around it). `expecting` completes serde's "invalid
/// type: …, expected …" for a value that is not a string.
pub fn checked_str<'de, D, T>(
    d: D,
    expecting: &'static str,
    check: impl FnOnce(&str) -> Result<T, Invalid>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Checked<F> {
        expecting: &'static str,
        check: F,
    }
    impl<T, F: FnOnce(&str) -> Result<T, Invalid>> serde::de::Visitor<'_> for Checked<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            (self.check)(v).map_err(Invalid::raise)
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
            match std::str::from_utf8(v) {
                Ok(s) => self.visit_str(s),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
            }
        }
    }
    d.deserialize_string(Checked { expecting, check })
}

/// Runs `f` (a parse) with the slot open: what it gave, and the [`Invalid`]
/// raised during it, if any.
pub fn catching<T>(f: impl FnOnce() -> T) -> (T, Option<Invalid>) {
    let outer = RAISED.with(|slot| slot.replace(Some(None)));
    let out = f();
    let invalid = RAISED.with(|slot| slot.replace(outer)).flatten();
    (out, invalid)
}
