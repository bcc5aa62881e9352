//! Words in messages, shared by `check`, `funnel` and the CLI. A leaf: it
//! depends on nothing, so that `funnel` does not need `check` for it.

/// `1 page`, `2 pages`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
