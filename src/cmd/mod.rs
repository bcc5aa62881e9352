//! One orchestration function per command. They return values; `main`
//! prints them.

pub mod build;
pub mod check;
pub mod funnel;
pub mod init;
pub mod new;
pub mod report;
pub mod serve;
