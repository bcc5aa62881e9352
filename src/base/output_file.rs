//! A file of the built site, as render, cards and output hand it on.

/// One file of the built site, relative to the output folder.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// The content or offer file this page was made from, for messages
    /// (`lander check`); `None` for generated pages and assets.
    pub source: Option<std::path::PathBuf>,
}

impl OutputFile {
    pub fn is_html(&self) -> bool {
        self.path.ends_with(".html")
    }
}
