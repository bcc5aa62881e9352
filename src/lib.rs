//! lander: a static site generator for marketing sites.
//!
//! Data flows one way: [`config`] and [`content`] (load and validate) →
//! [`markdown`] and [`render`] (tera with the embedded [`theme`], its
//! templates made [`compact`] once) → [`output`] (atomic write). [`cmd`] orchestrates; `main` prints.
//! [`report`] reads views and leads back and says which A/B variant won.
//! Modules use only the ones below them in that flow, and [`base`] is the
//! leaf they all share (README, "Layout of the code"; the testsuite's
//! `layout` test keeps the graph free of cycles).

pub mod base;
pub mod cards;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod compact;
pub mod config;
pub mod content;
pub mod error;
pub mod funnel;
pub mod highlight;
pub mod i18n;
pub mod images;
pub mod markdown;
pub mod output;
pub mod render;
pub mod report;
pub mod serve;
pub mod shortcodes;
pub mod theme;
