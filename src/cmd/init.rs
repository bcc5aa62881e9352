//! `lander init`: writes the starter site compiled into the binary.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::error::{Diagnostic, Diagnostics};

static STARTER: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/starter");

/// Creates a site in `dir`; returns the files written.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostics> {
    if dir.exists() {
        let mut entries =
            fs::read_dir(dir).map_err(|e| Diagnostic::io(dir, "read the folder", &e))?;
        if entries.next().is_some() && !force {
            return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
                .with_help("choose a new folder (lander init my-site), or pass --force to write the starter files anyway")
                .into());
        }
    }
    let mut written = Vec::new();
    write_dir(&STARTER, dir, &mut written)?;
    Ok(written)
}

fn write_dir(d: &Dir, dest: &Path, written: &mut Vec<PathBuf>) -> Result<(), Diagnostics> {
    for f in d.files() {
        let path = dest.join(f.path());
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Diagnostic::io(parent, "create the folder", &e))?;
        }
        fs::write(&path, f.contents()).map_err(|e| Diagnostic::io(&path, "write the file", &e))?;
        written.push(f.path().to_path_buf());
    }
    for sub in d.dirs() {
        write_dir(sub, dest, written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_empty_folder_without_force() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("keep.txt"), "mine").unwrap();
        assert!(init(dir.path(), false).is_err());
        let files = init(dir.path(), true).unwrap();
        assert!(files.iter().any(|f| f == Path::new("site.yaml")));
        assert_eq!(
            fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
            "mine"
        );
    }
}
