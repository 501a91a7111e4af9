//! The directory backend's I/O, off the async threads.

use std::path::{Path, PathBuf};

use actix_web::web::Bytes;
use tokio::io::AsyncReadExt;

use super::{Download, StorageError, token};

/// Downloads are sent in chunks of this size.
const CHUNK: usize = 64 * 1024;

/// Runs blocking file work on tokio's blocking pool.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(std::io::Error::other)?
}

pub(super) async fn read(path: &Path, stored: &str) -> Result<Download, StorageError> {
    let file = match tokio::fs::File::open(path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StorageError::Missing(stored.to_string()));
        }
        Err(e) => return Err(e.into()),
    };
    let size = file.metadata().await?.len();
    // Exactly `size` bytes: the response announced that length.
    let body = futures_util::stream::try_unfold(
        (file.take(size), vec![0u8; CHUNK]),
        |(mut file, mut buf)| async move {
            let n = file.read(&mut buf).await?;
            if n == 0 {
                return Ok(None);
            }
            let chunk = Bytes::copy_from_slice(&buf[..n]);
            Ok(Some((chunk, (file, buf))))
        },
    );
    Ok(Download {
        size,
        body: Box::pin(body),
    })
}

/// File names in `dir` (not subdirectories); an absent directory has none.
pub(super) async fn list(dir: PathBuf) -> std::io::Result<Vec<String>> {
    blocking(move || {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut names = Vec::new();
        for e in entries {
            let e = e?;
            if e.file_type()?.is_file()
                && let Some(n) = e.file_name().to_str()
            {
                names.push(n.to_string());
            }
        }
        Ok(names)
    })
    .await
}

/// Copies `src` to `to` through a temporary file in `temp_dir` (on the same file system as
/// `to`), so `to` appears only complete.
pub(super) async fn copy_in(src: &Path, temp_dir: &Path, to: &Path) -> std::io::Result<()> {
    let (src, to) = (src.to_path_buf(), to.to_path_buf());
    let part = temp_dir.join(format!("{}.part", token::generate()));
    blocking(move || {
        let result = std::fs::copy(&src, &part)
            .and_then(|_| std::fs::File::open(&part)?.sync_all())
            .and_then(|()| std::fs::rename(&part, &to));
        if result.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        result
    })
    .await
}
