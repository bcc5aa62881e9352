//! `.lander/images/`: encoded variants keyed by a hash of the source's bytes
//! and the settings that shape the output, so a rebuild encodes only new or
//! changed images. An index by source path, size and modification time
//! spares reading (and hashing) unchanged sources at all.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::process::{self, Problem};
use super::{Picture, Variant};
use crate::config::images::{ImagesConfig, ModernFormat};

/// Bumped when the output of the same settings changes (a new encoder).
const FORMAT_VERSION: u32 = 1;
const INDEX_FILE: &str = "index.json";

pub struct Cache<'a> {
    dir: PathBuf,
    settings: &'a ImagesConfig,
    /// Hash of the settings, part of every key.
    params: String,
    index: Mutex<HashMap<String, Stamp>>,
}

/// What a source file looked like when its key was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified_ns: u128,
    params: String,
    key: String,
}

/// What the cache holds for one key.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    /// Extension of the fallback (the source's format).
    fallback: String,
    /// Width, height and extension of each file, narrowest first.
    files: Vec<(u32, u32, String)>,
}

/// A processed image, and whether this build had to make it.
pub struct Entry {
    pub picture: Picture,
    pub encoded: bool,
    pub files_written: usize,
}

impl<'a> Cache<'a> {
    pub fn open(dir: &Path, settings: &'a ImagesConfig) -> Cache<'a> {
        let params = blake3::hash(
            format!(
                "{FORMAT_VERSION} {:?} {:?} {} {}",
                settings.widths, settings.formats, settings.quality, settings.max_pixels
            )
            .as_bytes(),
        )
        .to_hex()[..16]
            .to_string();
        let index = fs::read(dir.join(INDEX_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Cache {
            dir: dir.to_path_buf(),
            settings,
            params,
            index: Mutex::new(index),
        }
    }

    /// The processed image of the source at `from` (site path `path`).
    pub fn get_or_make(&self, from: &Path, path: &str) -> Result<Entry, Problem> {
        let meta = fs::metadata(from).map_err(|e| Problem::Read(e.to_string()))?;
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let id = from.to_string_lossy().into_owned();
        let known = self.index.lock().ok().and_then(|index| {
            index
                .get(&id)
                .filter(|s| {
                    s.len == meta.len() && s.modified_ns == modified_ns && s.params == self.params
                })
                .map(|s| s.key.clone())
        });
        let mut source: Option<Vec<u8>> = None;
        let key = match known {
            Some(key) => key,
            None => {
                let bytes = fs::read(from).map_err(|e| Problem::Read(e.to_string()))?;
                let mut h = blake3::Hasher::new();
                h.update(&bytes);
                h.update(self.params.as_bytes());
                source = Some(bytes);
                h.finalize().to_hex()[..32].to_string()
            }
        };
        let stamp = Stamp {
            len: meta.len(),
            modified_ns,
            params: self.params.clone(),
            key: key.clone(),
        };
        if let Some(picture) = self.lookup(&key, path) {
            self.remember(id, stamp);
            return Ok(Entry {
                picture,
                encoded: false,
                files_written: 0,
            });
        }
        let bytes = match source {
            Some(b) => b,
            None => fs::read(from).map_err(|e| Problem::Read(e.to_string()))?,
        };
        let encoded = process::process(&bytes, self.settings)?;
        drop(bytes);
        let write = |name: &str, data: &[u8]| -> Result<(), Problem> {
            write_atomically(&self.dir, name, data)
                .map_err(|e| Problem::Encode(format!("the cache in {}: {e}", self.dir.display())))
        };
        for e in &encoded {
            write(&file_name(&key, e.width, e.extension), &e.bytes)?;
        }
        let manifest = Manifest {
            fallback: encoded.first().map_or("jpg", |e| e.extension).to_string(),
            files: encoded
                .iter()
                .map(|e| (e.width, e.height, e.extension.to_string()))
                .collect(),
        };
        let json = serde_json::to_vec(&manifest).map_err(|e| Problem::Encode(e.to_string()))?;
        write(&format!("{key}.json"), &json)?;
        self.remember(id, stamp);
        let picture = self.picture(&key, path, &manifest);
        Ok(Entry {
            picture,
            encoded: true,
            files_written: encoded.len(),
        })
    }

    /// Writes the index for the next build (best effort: without it the
    /// sources are only hashed again).
    pub fn save_index(&self) {
        let Ok(index) = self.index.lock() else {
            return;
        };
        if let Ok(json) = serde_json::to_vec(&*index) {
            let _ = write_atomically(&self.dir, INDEX_FILE, &json);
        }
    }

    fn remember(&self, id: String, stamp: Stamp) {
        if let Ok(mut index) = self.index.lock() {
            index.insert(id, stamp);
        }
    }

    /// The cached picture of `key`, when its manifest and every file are there.
    fn lookup(&self, key: &str, path: &str) -> Option<Picture> {
        let bytes = fs::read(self.dir.join(format!("{key}.json"))).ok()?;
        let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
        let complete = manifest
            .files
            .iter()
            .all(|(w, _, ext)| self.dir.join(file_name(key, *w, ext)).is_file());
        (complete && !manifest.files.is_empty()).then(|| self.picture(key, path, &manifest))
    }

    fn picture(&self, key: &str, path: &str, manifest: &Manifest) -> Picture {
        let stem_path = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
        let fallback_ext = manifest.fallback.as_str();
        let variant = |w: u32, h: u32, ext: &str| Variant {
            width: w,
            height: h,
            path: format!("/_img{stem_path}.{}.{w}.{ext}", &key[..8]),
            file: self.dir.join(file_name(key, w, ext)),
        };
        let fallback: Vec<Variant> = manifest
            .files
            .iter()
            .filter(|(_, _, ext)| ext == fallback_ext)
            .map(|(w, h, ext)| variant(*w, *h, ext))
            .collect();
        let modern = self
            .settings
            .formats
            .iter()
            .filter(|f| f.extension() != fallback_ext)
            .map(|f: &ModernFormat| {
                let v = manifest
                    .files
                    .iter()
                    .filter(|(_, _, ext)| ext == f.extension())
                    .map(|(w, h, ext)| variant(*w, *h, ext))
                    .collect();
                (*f, v)
            })
            .collect();
        let (width, height) = fallback.last().map_or((0, 0), |v| (v.width, v.height));
        Picture {
            width,
            height,
            fallback,
            modern,
        }
    }
}

fn file_name(key: &str, width: u32, ext: &str) -> String {
    format!("{key}.{width}.{ext}")
}

/// Writes into a temporary file then renames it: an interrupted build
/// never leaves half a file under a name the next one trusts.
fn write_atomically(dir: &Path, name: &str, data: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    fs::write(&tmp, data)?;
    fs::rename(&tmp, dir.join(name))
}
