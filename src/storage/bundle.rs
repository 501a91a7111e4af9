//! Several stored files as one ZIP, streamed: each file is read from the store in chunks and
//! written through `zip`'s streaming writer (no seeking: sizes and checksums follow each file
//! in a data descriptor), and what the writer produced is handed on after every chunk. So at
//! most one chunk and a header are held at a time, whatever the archive's size, with either
//! backend. The files are stored, not compressed: they are PDFs and images already.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::web::Bytes;
use chrono::{Datelike, NaiveDateTime, Timelike};
use futures_util::{Stream, StreamExt};
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use super::{ByteStream, Storage, StorageError};

/// One file of the archive: its path inside, its stored name and its time (shown by
/// unpacking programs; Warsaw time, which ZIP stores without a zone).
#[derive(Clone, Debug)]
pub struct BundleFile {
    pub path: String,
    pub stored: String,
    pub modified: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("writing the archive")]
    Zip(#[from] zip::result::ZipError),
    #[error("writing the archive")]
    Io(#[from] std::io::Error),
}

/// What the writer has produced and not yet been handed on.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Pending {
    fn take(&self) -> Bytes {
        let mut buf = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Bytes::from(std::mem::take(&mut *buf))
    }
}

impl Write for Pending {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct State {
    storage: Storage,
    files: std::vec::IntoIter<BundleFile>,
    zip: Option<ZipWriter<StreamWriter<Pending>>>,
    out: Pending,
    current: Option<ByteStream>,
    /// Files the store could not give (their paths in the archive): skipped, and named in a
    /// text file at the end rather than breaking off the whole archive.
    missing: Vec<String>,
}

/// The text file listing the files the store could not give, in both languages.
const MISSING_NAME: &str = "BRAKUJACE-PLIKI-MISSING-FILES.txt";

fn missing_note(paths: &[String]) -> String {
    format!(
        "Tych plików nie udało się odczytać z magazynu załączników; zgłoś to administratorowi portalu.\r\n\
         These files could not be read from the attachment store; please tell the portal's administrator.\r\n\r\n{}\r\n",
        paths.join("\r\n")
    )
}

fn options(modified: NaiveDateTime) -> SimpleFileOptions {
    let mut o = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    let t = modified;
    if let (Ok(year), Ok(month), Ok(day), Ok(hour), Ok(minute), Ok(second)) = (
        u16::try_from(t.year()),
        u8::try_from(t.month()),
        u8::try_from(t.day()),
        u8::try_from(t.hour()),
        u8::try_from(t.minute()),
        u8::try_from(t.second()),
    ) && let Ok(dt) = zip::DateTime::from_date_and_time(year, month, day, hour, minute, second)
    {
        o = o.last_modified_time(dt);
    }
    o
}

impl State {
    /// The next piece of the archive, or `None` at its end.
    async fn next(&mut self) -> Option<Result<Bytes, BundleError>> {
        loop {
            let zip = self.zip.as_mut()?;
            if let Some(body) = self.current.as_mut() {
                match body.next().await {
                    Some(Ok(chunk)) => {
                        if let Err(e) = zip.write_all(&chunk) {
                            return Some(Err(self.fail(e.into())));
                        }
                        let out = self.out.take();
                        if !out.is_empty() {
                            return Some(Ok(out));
                        }
                        continue;
                    }
                    Some(Err(e)) => return Some(Err(self.fail(e.into()))),
                    None => self.current = None,
                }
            }
            match self.files.next() {
                Some(f) => {
                    let download = match self.storage.read(&f.stored).await {
                        Ok(d) => d,
                        Err(e) => {
                            tracing::warn!(error = %e, file = %f.stored, "attachment missing from the store; left out of the ZIP");
                            self.missing.push(f.path);
                            continue;
                        }
                    };
                    if let Err(e) = zip.start_file(f.path.as_str(), options(f.modified)) {
                        return Some(Err(self.fail(e.into())));
                    }
                    self.current = Some(download.body);
                }
                None if !self.missing.is_empty() => {
                    let note = missing_note(&std::mem::take(&mut self.missing));
                    if let Err(e) = zip
                        .start_file(MISSING_NAME, options(NaiveDateTime::default()))
                        .map_err(BundleError::from)
                        .and_then(|()| zip.write_all(note.as_bytes()).map_err(BundleError::from))
                    {
                        return Some(Err(self.fail(e)));
                    }
                }
                None => {
                    let zip = self.zip.take()?;
                    if let Err(e) = zip.finish() {
                        return Some(Err(e.into()));
                    }
                    return Some(Ok(self.out.take()));
                }
            }
        }
    }

    /// Ends the archive after a failure: nothing more is produced (the response breaks off).
    fn fail(&mut self, e: BundleError) -> BundleError {
        self.current = None;
        // The writer is dropped unfinished; what it still writes goes nowhere.
        self.zip = None;
        e
    }
}

impl Storage {
    /// The files as one ZIP, produced as it is read: a stream of pieces whose end is the end
    /// of the archive. A file the store cannot give breaks the stream off with the error.
    pub fn zip(
        &self,
        files: Vec<BundleFile>,
    ) -> impl Stream<Item = Result<Bytes, BundleError>> + use<> {
        let out = Pending::default();
        let state = State {
            storage: self.clone(),
            files: files.into_iter(),
            zip: Some(ZipWriter::new_stream(out.clone())),
            out,
            current: None,
            missing: Vec::new(),
        };
        futures_util::stream::unfold(state, |mut s| async move {
            let item = s.next().await?;
            Some((item, s))
        })
        .filter(|piece| std::future::ready(!matches!(piece, Ok(b) if b.is_empty())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::token;

    async fn stored(st: &Storage, body: &[u8]) -> String {
        let mut t = st.temp().unwrap();
        t.write(body).unwrap();
        st.persist(t).await.unwrap()
    }

    #[tokio::test]
    async fn files_come_out_of_the_archive_as_they_went_in() {
        let dir = std::env::temp_dir().join(format!("konkurs-zip-{}", &token::generate()[..8]));
        let st = Storage::open(dir.clone()).unwrap();
        let big: Vec<u8> = (0..300_000u32).flat_map(u32::to_le_bytes).collect();
        let a = stored(&st, b"%PDF-1.4 pierwszy").await;
        let b = stored(&st, &big).await;
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .unwrap()
            .and_hms_opt(12, 30, 10)
            .unwrap();
        let files = vec![
            BundleFile {
                path: "VI-I-001/Opis wdrożenia.pdf".into(),
                stored: a,
                modified: t,
            },
            BundleFile {
                path: "VI-I-002/dane.bin".into(),
                stored: b,
                modified: t,
            },
        ];
        let pieces: Vec<Bytes> = st.zip(files).map(|p| p.unwrap()).collect::<Vec<_>>().await;
        // Streamed: no piece much larger than a storage chunk.
        assert!(pieces.len() > 10, "{} pieces", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= 70 * 1024));
        let all: Vec<u8> = pieces.concat();
        // The first local header: UTF-8 names (bit 11) and a data descriptor (bit 3).
        let flags = u16::from_le_bytes([all[6], all[7]]);
        assert_eq!(flags & 0x0808, 0x0808, "{flags:#x}");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(all)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut first = archive.by_index(0).unwrap();
        assert_eq!(first.name().unwrap(), "VI-I-001/Opis wdrożenia.pdf");
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut first, &mut body).unwrap();
        assert_eq!(body, b"%PDF-1.4 pierwszy");
        drop(first);
        let mut second = archive.by_name("VI-I-002/dane.bin").unwrap();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut second, &mut body).unwrap();
        assert_eq!(body, big);
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn a_missing_file_is_left_out_and_named() {
        let dir = std::env::temp_dir().join(format!("konkurs-zip-{}", &token::generate()[..8]));
        let st = Storage::open(dir.clone()).unwrap();
        let kept = stored(&st, b"%PDF-1.4 kept").await;
        let files = vec![
            BundleFile {
                path: "a/b.pdf".into(),
                stored: format!("{}.bin", token::generate()),
                modified: chrono::NaiveDateTime::default(),
            },
            BundleFile {
                path: "a/c.pdf".into(),
                stored: kept,
                modified: chrono::NaiveDateTime::default(),
            },
        ];
        let pieces: Vec<_> = st.zip(files).collect().await;
        let mut bytes = Vec::new();
        for p in pieces {
            bytes.extend_from_slice(&p.expect("no piece fails"));
        }
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, vec!["a/c.pdf".to_string(), MISSING_NAME.to_string()]);
        let mut note = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(MISSING_NAME).unwrap(), &mut note)
            .unwrap();
        assert!(note.contains("a/b.pdf"), "{note}");
        std::fs::remove_dir_all(dir).ok();
    }
}
