//! The S3 backend: any S3-compatible store (MinIO, Ceph, Garage, the clouds) through
//! `object_store`, objects named by their stored name at the bucket's root.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

use super::{Download, StorageError};

/// How long the start-up check waits for the bucket to answer.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// One request, body included: a 10 MB download to a slow browser must not be cut off.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Where and as whom: from `s3://BUCKET?endpoint=URL&region=R` and the two keys.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// The store's address (`http://` allowed); none for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key", &"[hidden]")
            .field("secret_key", &"[hidden]")
            .finish()
    }
}

impl S3Config {
    /// `rest` is what follows `s3://`.
    pub(super) fn parse(
        rest: &str,
        access_key: Option<&str>,
        secret_key: Option<&str>,
    ) -> Result<S3Config, String> {
        let (bucket, query) = rest.split_once('?').unwrap_or((rest, ""));
        let bucket = bucket.trim_end_matches('/');
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !bucket_ok {
            return Err(format!(
                "KONKURS_STORAGE_URL: '{bucket}' is not a bucket name (3–63 lower-case letters, digits, '-' or '.')"
            ));
        }
        let (mut endpoint, mut region) = (None, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_encoding::percent_decode_str(v)
                .decode_utf8()
                .map_err(|_| format!("KONKURS_STORAGE_URL: {k} is not UTF-8"))?
                .trim()
                .to_string();
            match k {
                "endpoint" => endpoint = Some(v),
                "region" => region = Some(v),
                _ => {
                    return Err(format!(
                        "KONKURS_STORAGE_URL: unknown parameter '{k}' (known: endpoint, region)"
                    ));
                }
            }
        }
        if let Some(e) = &endpoint
            && !(e.starts_with("http://") || e.starts_with("https://"))
        {
            return Err(format!(
                "KONKURS_STORAGE_URL: endpoint must start with http:// or https://, got '{e}'"
            ));
        }
        let key = |v: Option<&str>, name: &str| {
            v.map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .ok_or_else(|| format!("{name} is required with an s3:// KONKURS_STORAGE_URL"))
        };
        Ok(S3Config {
            bucket: bucket.to_string(),
            endpoint: endpoint.map(|e| e.trim_end_matches('/').to_string()),
            region: region
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "us-east-1".into()),
            access_key: key(access_key, "KONKURS_S3_ACCESS_KEY")?,
            secret_key: key(secret_key, "KONKURS_S3_SECRET_KEY")?,
        })
    }

    /// Plain HTTP only when the operator's endpoint says so (a store on the same host or network).
    pub fn allow_http(&self) -> bool {
        self.endpoint
            .as_deref()
            .is_some_and(|e| e.starts_with("http://"))
    }

    /// A client for the bucket. Requests give up after `timeout` and are retried `retries` times.
    pub fn build(&self, timeout: Duration, retries: usize) -> Result<AmazonS3, String> {
        // reqwest is built without a default TLS provider (to avoid aws-lc-rs): use ring, as
        // lettre does. Installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&self.bucket)
            .with_region(&self.region)
            .with_access_key_id(&self.access_key)
            .with_secret_access_key(&self.secret_key)
            .with_allow_http(self.allow_http())
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(self.allow_http())
                    .with_connect_timeout(CHECK_TIMEOUT)
                    .with_timeout(timeout),
            )
            .with_retry(RetryConfig {
                max_retries: retries,
                retry_timeout: timeout,
                ..RetryConfig::default()
            });
        if let Some(e) = &self.endpoint {
            b = b.with_endpoint(e);
        }
        b.build()
            .map_err(|e| format!("KONKURS_STORAGE_URL: {}", crate::web::error::chain(&e)))
    }
}

/// A store's refusal in one short line for the console: the S3 error code when the answer
/// has one (`NoSuchBucket`, `InvalidAccessKeyId`, …), else the message on one line, cut short.
fn brief(text: &str) -> String {
    if let Some(code) = text
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.trim())
        .filter(|c| !c.is_empty())
    {
        return format!("the server answered {code}");
    }
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

#[derive(Clone, Debug)]
pub(super) struct S3Store {
    store: Arc<AmazonS3>,
}

impl S3Store {
    /// Checks that the bucket answers (one listing, a short timeout, no retries) on a thread
    /// of its own, since the caller may be inside a single-threaded runtime.
    pub(super) fn connect(cfg: &S3Config) -> Result<S3Store, String> {
        let probe = cfg.build(CHECK_TIMEOUT, 0)?;
        let checked = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                match tokio::time::timeout(CHECK_TIMEOUT * 2, probe.list_with_delimiter(None)).await
                {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(e)) => Err(brief(&crate::web::error::chain(&e))),
                    Err(_) => Err("no answer".into()),
                }
            })
        })
        .join()
        .map_err(|_| "the check panicked".to_string())
        .and_then(|r| r);
        if let Err(e) = checked {
            return Err(format!(
                "the S3 bucket '{}' at {} cannot be listed: {e} (check KONKURS_STORAGE_URL and the keys)",
                cfg.bucket,
                cfg.endpoint.as_deref().unwrap_or("AWS")
            ));
        }
        Ok(S3Store {
            store: Arc::new(cfg.build(REQUEST_TIMEOUT, 3)?),
        })
    }

    /// One PUT of the whole file (at most the upload limit, 10 MB, is held in memory).
    pub(super) async fn put_file(&self, name: &str, src: &Path) -> Result<(), StorageError> {
        let bytes = tokio::fs::read(src).await?;
        self.store
            .put(&Key::from(name), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    pub(super) async fn read(&self, name: &str) -> Result<Download, StorageError> {
        let got = self
            .store
            .get(&Key::from(name))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => StorageError::Missing(name.to_string()),
                e => StorageError::S3(e),
            })?;
        let size = got.meta.size;
        Ok(Download {
            size,
            body: Box::pin(got.into_stream().map_err(StorageError::S3)),
        })
    }

    pub(super) async fn delete(&self, name: &str) -> Result<(), StorageError> {
        match self.store.delete(&Key::from(name)).await {
            Ok(()) => Ok(()),
            Err(object_store::Error::NotFound { .. }) => Err(StorageError::Missing(name.into())),
            Err(e) => Err(e.into()),
        }
    }

    pub(super) async fn list(&self) -> Result<Vec<String>, StorageError> {
        let metas: Vec<_> = self.store.list(None).try_collect().await?;
        Ok(metas
            .into_iter()
            .map(|m| m.location.as_ref().to_string())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_one_short_line() {
        assert_eq!(
            brief(
                "Client error 404:\n<?xml?><Error><Code>NoSuchBucket</Code><Message>x</Message></Error>"
            ),
            "the server answered NoSuchBucket"
        );
        assert_eq!(brief("connection\n  refused"), "connection refused");
        assert!(brief(&"x ".repeat(400)).chars().count() <= 301);
    }

    #[test]
    fn urls_name_bucket_endpoint_and_region() {
        let c = S3Config::parse(
            "konkurs-files?endpoint=http://127.0.0.1:9000/&region=eu-central-1",
            Some("AK"),
            Some("SK"),
        )
        .unwrap();
        assert_eq!(c.bucket, "konkurs-files");
        assert_eq!(c.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(c.region, "eu-central-1");
        assert!(c.allow_http());
        assert!(!format!("{c:?}").contains("SK"));
        let aws = S3Config::parse("bucket", Some("AK"), Some("SK")).unwrap();
        assert_eq!(aws.region, "us-east-1");
        assert!(!aws.allow_http());
        for bad in [
            "Bucket",
            "b",
            "bucket?endpoint=ftp://x",
            "bucket?foo=bar",
            "a/b",
        ] {
            assert!(
                S3Config::parse(bad, Some("AK"), Some("SK")).is_err(),
                "{bad}"
            );
        }
        let e = S3Config::parse("bucket", None, Some("SK")).unwrap_err();
        assert!(e.contains("KONKURS_S3_ACCESS_KEY"), "{e}");
    }
}
