//! Attachment files, kept outside the web root under generated names, in a local directory
//! (`file://PATH`, the default) or in an S3-compatible object store (`s3://BUCKET?…`).
//!
//! An upload is received into a temporary file on local disk (where its size and type are
//! checked) and goes into the store only once complete and accepted: by a rename within the
//! directory, or by one PUT. So no partial file is ever visible under a stored name, and the
//! temporary file is removed either way. Downloads are streamed in chunks, never read whole.
//!
//! For backups: `list` names every stored file; `export_to` copies all of them into a local
//! directory and `import_from` puts every stored-looking file of a directory back, whichever
//! backend is configured.

mod bundle;
mod file;
mod s3;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};

use crate::domain::token;

pub use bundle::{BundleError, BundleFile};
pub use s3::S3Config;

/// Where attachments are kept, from `KONKURS_STORAGE_URL` and the S3 keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageUrl {
    File(PathBuf),
    S3(S3Config),
}

impl StorageUrl {
    /// `file://PATH` or `s3://BUCKET?endpoint=URL&region=R` (the keys are required for S3 and
    /// refused otherwise); without a URL, `default_dir`. Any other scheme is refused.
    pub fn parse(
        url: Option<&str>,
        access_key: Option<&str>,
        secret_key: Option<&str>,
        default_dir: &Path,
    ) -> Result<StorageUrl, String> {
        let url = url.map(str::trim).filter(|u| !u.is_empty());
        if let Some(rest) = url.and_then(|u| u.strip_prefix("s3://")) {
            return s3::S3Config::parse(rest, access_key, secret_key).map(StorageUrl::S3);
        }
        if access_key.is_some() || secret_key.is_some() {
            return Err(
                "KONKURS_S3_ACCESS_KEY and KONKURS_S3_SECRET_KEY are used only with an s3:// \
                 KONKURS_STORAGE_URL"
                    .into(),
            );
        }
        match url {
            None => Ok(StorageUrl::File(default_dir.to_path_buf())),
            Some(u) => match u.strip_prefix("file://") {
                Some(path) if !path.is_empty() => Ok(StorageUrl::File(PathBuf::from(path))),
                _ => Err(format!(
                    "KONKURS_STORAGE_URL must be file://PATH or s3://BUCKET?endpoint=URL&region=REGION, got '{u}'"
                )),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The store answered that there is no such object.
    #[error("object {0} is missing from the attachment storage")]
    Missing(String),
    #[error("'{0}' is not a stored attachment name")]
    BadName(String),
    #[error("attachment storage (directory)")]
    Io(#[from] std::io::Error),
    #[error("attachment storage (S3)")]
    S3(#[from] object_store::Error),
}

/// A stored file's body as chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, StorageError>> + Send>>;

/// A stored file being read.
pub struct Download {
    pub size: u64,
    pub body: ByteStream,
}

#[derive(Clone, Debug)]
pub struct Storage {
    /// Where uploads are received: beside the files for the directory backend (so that
    /// storing is a rename), in the data directory for S3.
    temp_dir: PathBuf,
    backend: Backend,
}

#[derive(Clone, Debug)]
enum Backend {
    File(PathBuf),
    S3(s3::S3Store),
}

/// A file being received; deleted on drop unless it was persisted.
pub struct TempUpload {
    path: PathBuf,
    file: Option<std::fs::File>,
    pub size: u64,
    persisted: bool,
}

impl TempUpload {
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(f) = self.file.as_mut() {
            f.write_all(bytes)?;
        }
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// Stops keeping data (the upload is too large) but keeps counting what arrives.
    pub fn discard(&mut self) {
        self.file = None;
        let _ = std::fs::remove_file(&self.path);
    }

    pub fn is_discarded(&self) -> bool {
        self.file.is_none()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The first `n` bytes, to recognise the file's type.
    pub fn head(&self, n: usize) -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut buf = Vec::with_capacity(n.min(usize::try_from(self.size).unwrap_or(n)));
        std::fs::File::open(&self.path)?
            .take(n as u64)
            .read_to_end(&mut buf)?;
        Ok(buf)
    }
}

impl Drop for TempUpload {
    fn drop(&mut self) {
        if !self.persisted {
            self.file = None;
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Creates `dir` and its missing parents readable by this user only (0700 on Unix): they hold
/// the database, the secret key and applicants' attachments. An existing directory is left as
/// the operator made it.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Older than the longest upload (10 MB at a few kB/s): a temporary file this old is a leftover.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(6 * 60 * 60);

/// Creates `dir/tmp` and removes temporary files left there by an interrupted process.
/// Another instance may share the directory and be receiving an upload right now: only files
/// untouched for `STALE_TEMP` are taken for leftovers.
fn prepare_temp(dir: &Path) -> std::io::Result<PathBuf> {
    let tmp = dir.join("tmp");
    create_private_dir(&tmp)?;
    let stale = |e: &std::fs::DirEntry| {
        e.metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP)
    };
    if let Ok(entries) = std::fs::read_dir(&tmp) {
        for e in entries.flatten().filter(stale) {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(tmp)
}

/// Names are generated by us (`<64 hex>.bin`); anything else is refused before it reaches a
/// path or a key.
pub fn is_stored_name(stored: &str) -> bool {
    stored.len() == 68 && stored.ends_with(".bin") && token::looks_valid(&stored[..64])
}

fn checked(stored: &str) -> Result<&str, StorageError> {
    if is_stored_name(stored) {
        Ok(stored)
    } else {
        Err(StorageError::BadName(stored.to_string()))
    }
}

impl Storage {
    /// Attachments in the directory `dir` (the `file://` backend).
    pub fn open(dir: PathBuf) -> std::io::Result<Storage> {
        let temp_dir = prepare_temp(&dir)?;
        Ok(Storage {
            temp_dir,
            backend: Backend::File(dir),
        })
    }

    /// The configured backend. For S3, uploads are received in `local_dir/tmp` and the bucket
    /// must answer now: a wrong endpoint, bucket or key stops the start with a clear message.
    pub fn connect(url: &StorageUrl, local_dir: &Path) -> Result<Storage, String> {
        match url {
            StorageUrl::File(dir) => Storage::open(dir.clone())
                .map_err(|e| format!("cannot prepare {}: {e}", dir.display())),
            StorageUrl::S3(cfg) => {
                let temp_dir = prepare_temp(local_dir)
                    .map_err(|e| format!("cannot prepare {}: {e}", local_dir.display()))?;
                let store = s3::S3Store::connect(cfg)?;
                tracing::info!(bucket = %cfg.bucket, endpoint = cfg.endpoint.as_deref().unwrap_or("AWS"), "attachments in S3 storage");
                Ok(Storage {
                    temp_dir,
                    backend: Backend::S3(store),
                })
            }
        }
    }

    pub fn temp(&self) -> std::io::Result<TempUpload> {
        let path = self.temp_dir.join(format!("{}.part", token::generate()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(TempUpload {
            path,
            file: Some(file),
            size: 0,
            persisted: false,
        })
    }

    /// Puts a complete upload into the store under a new name, which it returns. The temporary
    /// file is gone afterwards, stored or not.
    pub async fn persist(&self, mut t: TempUpload) -> Result<String, StorageError> {
        let name = format!("{}.bin", token::generate());
        match &self.backend {
            Backend::File(dir) => {
                let (file, from, to) = (t.file.take(), t.path.clone(), dir.join(&name));
                file::blocking(move || {
                    if let Some(f) = file {
                        f.sync_all()?;
                    }
                    std::fs::rename(from, to)
                })
                .await?;
                t.persisted = true;
            }
            Backend::S3(store) => {
                t.file = None;
                store.put_file(&name, &t.path).await?;
            }
        }
        Ok(name)
    }

    /// Opens a stored file for streaming; `StorageError::Missing` when the store has no such
    /// object.
    pub async fn read(&self, stored: &str) -> Result<Download, StorageError> {
        let stored = checked(stored)?;
        match &self.backend {
            Backend::File(dir) => file::read(&dir.join(stored), stored).await,
            Backend::S3(store) => store.read(stored).await,
        }
    }

    /// Removes a stored file, best-effort: a failure is logged and otherwise ignored (the file
    /// is then an orphan, which wastes space but shows nothing to anybody).
    pub async fn remove(&self, stored: &str) {
        let Ok(stored) = checked(stored) else {
            return;
        };
        let result = match &self.backend {
            Backend::File(dir) => {
                let path = dir.join(stored);
                file::blocking(move || std::fs::remove_file(path))
                    .await
                    .map_err(StorageError::Io)
            }
            Backend::S3(store) => store.delete(stored).await,
        };
        match result {
            Ok(()) | Err(StorageError::Missing(_)) => {}
            Err(StorageError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(
                key = stored,
                error = %crate::web::error::chain(&e),
                "could not remove a stored attachment"
            ),
        }
    }

    /// The names of all stored files, sorted.
    pub async fn list(&self) -> Result<Vec<String>, StorageError> {
        let mut names = match &self.backend {
            Backend::File(dir) => file::list(dir.clone()).await?,
            Backend::S3(store) => store.list().await?,
        };
        names.retain(|n| is_stored_name(n));
        names.sort();
        Ok(names)
    }

    /// Copies every stored file into `dir` (created if missing) under its stored name; returns
    /// how many. Each file is written to a temporary name and renamed when complete.
    pub async fn export_to(&self, dir: &Path) -> Result<usize, StorageError> {
        create_private_dir(dir)?;
        let names = self.list().await?;
        for name in &names {
            let mut download = self.read(name).await?;
            let part = dir.join(format!("{name}.part"));
            let mut out = tokio::fs::File::create(&part).await?;
            while let Some(chunk) = download.body.next().await {
                tokio::io::AsyncWriteExt::write_all(&mut out, &chunk?).await?;
            }
            out.sync_all().await?;
            drop(out);
            tokio::fs::rename(&part, dir.join(name)).await?;
        }
        Ok(names.len())
    }

    /// Puts every file of `dir` whose name is a stored name into the store (replacing one of
    /// the same name); other files are left alone. Returns how many.
    pub async fn import_from(&self, dir: &Path) -> Result<usize, StorageError> {
        let names = file::list(dir.to_path_buf()).await?;
        let mut count = 0;
        for name in names.iter().filter(|n| is_stored_name(n)) {
            let src = dir.join(name);
            match &self.backend {
                Backend::File(to) => file::copy_in(&src, &self.temp_dir, &to.join(name)).await?,
                Backend::S3(store) => store.put_file(name, &src).await?,
            }
            count += 1;
        }
        Ok(count)
    }

    /// The local path of a stored file with the directory backend (None for S3 or a name
    /// that is not one of ours).
    pub fn path_of(&self, stored: &str) -> Option<PathBuf> {
        match &self.backend {
            Backend::File(dir) if is_stored_name(stored) => Some(dir.join(stored)),
            _ => None,
        }
    }
}

/// A file name as the user's system sent it, made safe to store and show: no path, no control
/// or invisible characters (a right-to-left override makes `fdp.exe` read as `exe.pdf`), at most 150 characters, and ending in the extension of its real type.
pub fn clean_filename(raw: &str, ext: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base
        .chars()
        .filter(|c| {
            !crate::domain::validate::is_forbidden(*c, false)
                && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
        })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(150)
        .collect();
    if name.is_empty() {
        name = "zalacznik".into();
    }
    let has_ext = name.rsplit_once('.').is_some_and(|(_, e)| {
        e.eq_ignore_ascii_case(ext) || (ext == "jpg" && e.eq_ignore_ascii_case("jpeg"))
    });
    if !has_ext {
        name = format!("{name}.{ext}");
    }
    name
}

/// `Content-Disposition` for a download: an ASCII fallback and the UTF-8 name (RFC 6266/5987).
pub fn content_disposition(name: &str) -> String {
    // Names stored before they were cleaned on upload are cleaned here too.
    let name = &crate::domain::validate::strip_forbidden(name);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    // RFC 5987's attr-char is exactly RFC 3986's unreserved set.
    let encoded = crate::urls::encode(name);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(
            clean_filename("C:\\Users\\jan\\Opis projektu.pdf", "pdf"),
            "Opis projektu.pdf"
        );
        assert_eq!(clean_filename("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(clean_filename("raport.exe", "pdf"), "raport.exe.pdf");
        assert_eq!(clean_filename("zdjęcie.JPEG", "jpg"), "zdjęcie.JPEG");
        assert_eq!(clean_filename("\u{0}\n", "png"), "zalacznik.png");
        assert_eq!(clean_filename(".htaccess", "pdf"), "htaccess.pdf");
        assert_eq!(
            clean_filename("invoice\u{202e}fdp.exe.pdf", "pdf"),
            "invoicefdp.exe.pdf"
        );
        assert_eq!(
            clean_filename("a\u{2066}b\u{200b}c\u{feff}.pdf", "pdf"),
            "abc.pdf"
        );
    }

    #[test]
    fn downloads_name_the_file_safely() {
        let h = content_disposition("Wniosek \"ż\".pdf");
        assert_eq!(
            h,
            "attachment; filename=\"Wniosek ___.pdf\"; filename*=UTF-8''Wniosek%20%22%C5%BC%22.pdf"
        );
        assert!(
            content_disposition("invoice\u{202e}fdp.exe.pdf").ends_with("''invoicefdp.exe.pdf")
        );
    }

    async fn read_all(st: &Storage, name: &str) -> Vec<u8> {
        let mut d = st.read(name).await.unwrap();
        let mut out = Vec::new();
        while let Some(c) = d.body.next().await {
            out.extend_from_slice(&c.unwrap());
        }
        assert_eq!(out.len() as u64, d.size);
        out
    }

    #[tokio::test]
    async fn temp_files_vanish_unless_persisted() {
        let dir = std::env::temp_dir().join(format!("konkurs-st-{}", &token::generate()[..8]));
        let st = Storage::open(dir.clone()).unwrap();
        let mut t = st.temp().unwrap();
        t.write(b"%PDF-1.4 hello").unwrap();
        let p = t.path().to_path_buf();
        drop(t);
        assert!(!p.exists());
        let mut t = st.temp().unwrap();
        t.write(b"%PDF-1.4 kept").unwrap();
        assert_eq!(t.head(4).unwrap(), b"%PDF");
        let name = st.persist(t).await.unwrap();
        let stored = st.path_of(&name).unwrap();
        assert_eq!(std::fs::read(&stored).unwrap(), b"%PDF-1.4 kept");
        assert_eq!(read_all(&st, &name).await, b"%PDF-1.4 kept");
        assert!(st.path_of("../secret.key").is_none());
        assert!(matches!(
            st.read("../secret.key").await,
            Err(StorageError::BadName(_))
        ));
        assert_eq!(std::fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
        st.remove(&name).await;
        assert!(!stored.exists());
        assert!(matches!(
            st.read(&name).await,
            Err(StorageError::Missing(n)) if n == name
        ));
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn large_files_are_read_in_chunks() {
        let dir = std::env::temp_dir().join(format!("konkurs-st-{}", &token::generate()[..8]));
        let st = Storage::open(dir.clone()).unwrap();
        let mut t = st.temp().unwrap();
        let data: Vec<u8> = (0..=250u8).cycle().take(300_000).collect();
        t.write(&data).unwrap();
        let name = st.persist(t).await.unwrap();
        let mut d = st.read(&name).await.unwrap();
        assert_eq!(d.size, 300_000);
        let mut chunks = 0;
        let mut out = Vec::new();
        while let Some(c) = d.body.next().await {
            let c = c.unwrap();
            assert!(c.len() <= 64 * 1024);
            out.extend_from_slice(&c);
            chunks += 1;
        }
        assert!(chunks >= 5, "{chunks} chunks");
        assert_eq!(out, data);
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn export_and_import_copy_every_stored_file() {
        let base = std::env::temp_dir().join(format!("konkurs-st-{}", &token::generate()[..8]));
        let st = Storage::open(base.join("a")).unwrap();
        let mut names = Vec::new();
        for body in [&b"%PDF-1.4 one"[..], b"%PDF-1.4 two"] {
            let mut t = st.temp().unwrap();
            t.write(body).unwrap();
            names.push(st.persist(t).await.unwrap());
        }
        names.sort();
        // Not a stored name: neither listed nor exported.
        std::fs::write(base.join("a").join("notes.txt"), b"x").unwrap();
        assert_eq!(st.list().await.unwrap(), names);
        assert_eq!(st.export_to(&base.join("backup")).await.unwrap(), 2);
        let copy = Storage::open(base.join("b")).unwrap();
        std::fs::write(base.join("backup").join("other.txt"), b"x").unwrap();
        assert_eq!(copy.import_from(&base.join("backup")).await.unwrap(), 2);
        assert_eq!(copy.list().await.unwrap(), names);
        for n in &names {
            assert_eq!(read_all(&copy, n).await, read_all(&st, n).await);
        }
        assert_eq!(std::fs::read_dir(base.join("b/tmp")).unwrap().count(), 0);
        std::fs::remove_dir_all(base).ok();
    }

    #[test]
    fn storage_urls_choose_the_backend() {
        let d = Path::new("/data/uploads");
        assert_eq!(
            StorageUrl::parse(None, None, None, d).unwrap(),
            StorageUrl::File(d.to_path_buf())
        );
        assert_eq!(
            StorageUrl::parse(Some("file:///srv/files"), None, None, d).unwrap(),
            StorageUrl::File("/srv/files".into())
        );
        assert!(matches!(
            StorageUrl::parse(
                Some("s3://konkurs?endpoint=http://h:9000"),
                Some("a"),
                Some("s"),
                d
            ),
            Ok(StorageUrl::S3(_))
        ));
        for bad in ["ftp://x", "/srv/files", "file://", "gs://bucket"] {
            let e = StorageUrl::parse(Some(bad), None, None, d).unwrap_err();
            assert!(e.contains("KONKURS_STORAGE_URL"), "{e}");
        }
        assert!(StorageUrl::parse(None, Some("a"), Some("s"), d).is_err());
    }

    #[tokio::test]
    async fn opening_keeps_another_instances_upload_in_flight_and_removes_leftovers() {
        let dir = std::env::temp_dir().join(format!("konkurs-st-{}", &token::generate()[..8]));
        let first = Storage::open(dir.clone()).unwrap();
        let mut in_flight = first.temp().unwrap();
        in_flight.write(b"%PDF-1.4 half").unwrap();
        let leftover = dir.join("tmp").join("crashed.part");
        std::fs::write(&leftover, b"%PDF").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&leftover)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - STALE_TEMP * 2)
            .unwrap();
        // A second instance starts on the same directory.
        let _second = Storage::open(dir.clone()).unwrap();
        assert!(in_flight.path().exists());
        assert!(!leftover.exists());
        in_flight.write(b" and the rest").unwrap();
        let name = first.persist(in_flight).await.unwrap();
        assert!(first.path_of(&name).unwrap().exists());
        std::fs::remove_dir_all(dir).ok();
    }
}
