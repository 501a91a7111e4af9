//! A real S3-compatible server for tests: moto's standalone server (PyPI `moto[server]`,
//! installed by `.ci/run` into `.ci/venv`), one per test process on a free port, with a fresh
//! bucket per test. `KONKURS_TEST_S3_URL` points at a running server instead (one that, like
//! moto, creates a bucket on an unsigned PUT). Without either the test prints SKIPPED; with
//! CI=true it fails.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use konkurs::config::StorageArgs;
use konkurs::storage::S3Config;
use object_store::aws::AmazonS3;

pub const ACCESS_KEY: &str = "konkurs-test";
pub const SECRET_KEY: &str = "konkurs-test-secret";

/// The server, started once for the whole test process.
struct Server {
    endpoint: String,
    /// The wrapper shell whose standard input we hold: when this process ends, however it
    /// ends, the pipe closes and the wrapper stops moto, so no server outlives `cargo test`.
    _guard: Option<Mutex<Child>>,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

fn moto_binary() -> Option<std::path::PathBuf> {
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/venv/bin/moto_server");
    if venv.is_file() {
        return Some(venv);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("moto_server"))
            .find(|p| p.is_file())
    })
}

fn answers(endpoint: &str) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .new_agent();
    agent.get(endpoint).call().is_ok()
}

fn start() -> Result<Server, String> {
    if let Ok(url) = std::env::var("KONKURS_TEST_S3_URL") {
        let endpoint = url.trim_end_matches('/').to_string();
        return if answers(&endpoint) {
            Ok(Server {
                endpoint,
                _guard: None,
            })
        } else {
            Err(format!("KONKURS_TEST_S3_URL={url} does not answer"))
        };
    }
    let moto = moto_binary().ok_or(
        "no moto_server in .ci/venv or on PATH (python3 -m venv .ci/venv && \
         .ci/venv/bin/pip install 'moto[server]')",
    )?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let mut child = Command::new("sh")
        .args([
            "-c",
            r#""$0" -H 127.0.0.1 -p "$1" >/dev/null 2>&1 & m=$!; read _; kill $m"#,
        ])
        .arg(&moto)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", moto.display()))?;
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while !answers(&endpoint) {
        if started.elapsed() > Duration::from_secs(60) || child.try_wait().ok().flatten().is_some()
        {
            let _ = child.stdin.take().map(|mut s| s.write_all(b"\n"));
            return Err(format!("{} did not answer on {endpoint}", moto.display()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Server {
        endpoint,
        _guard: Some(Mutex::new(child)),
    })
}

/// A fresh, empty bucket on the test server.
#[derive(Clone, Debug)]
pub struct S3Bucket {
    pub endpoint: String,
    pub bucket: String,
}

impl S3Bucket {
    /// None (after printing SKIPPED) when no S3 server can be had; with CI=true that fails.
    pub fn create() -> Option<S3Bucket> {
        let server = match SERVER.get_or_init(start) {
            Ok(s) => s,
            Err(e) => {
                if super::ci() {
                    panic!("an S3 server is required with CI=true: {e}");
                }
                eprintln!("SKIPPED: S3 storage test ({e})");
                return None;
            }
        };
        let bucket = format!("konkurs-test-{}", &konkurs::domain::token::generate()[..16]);
        let res = ureq::put(&format!("{}/{bucket}", server.endpoint))
            .send_empty()
            .expect("create the test bucket");
        assert_eq!(res.status().as_u16(), 200, "bucket {bucket} not created");
        Some(S3Bucket {
            endpoint: server.endpoint.clone(),
            bucket,
        })
    }

    pub fn url(&self) -> String {
        format!(
            "s3://{}?endpoint={}&region=us-east-1",
            self.bucket, self.endpoint
        )
    }

    /// The portal's flags for this bucket.
    pub fn args(&self) -> StorageArgs {
        StorageArgs {
            storage_url: Some(self.url()),
            s3_access_key: Some(ACCESS_KEY.into()),
            s3_secret_key: Some(SECRET_KEY.into()),
        }
    }

    /// A client of our own, to look into the bucket behind the portal's back.
    pub fn store(&self) -> AmazonS3 {
        let cfg = S3Config {
            bucket: self.bucket.clone(),
            endpoint: Some(self.endpoint.clone()),
            region: "us-east-1".into(),
            access_key: ACCESS_KEY.into(),
            secret_key: SECRET_KEY.into(),
        };
        cfg.build(Duration::from_secs(30), 0).expect("S3 client")
    }

    /// The keys in the bucket, sorted.
    pub fn keys(&self) -> Vec<String> {
        use futures_util::TryStreamExt;
        use object_store::ObjectStore;
        let store = self.store();
        let mut keys: Vec<String> = block_on(async {
            store
                .list(None)
                .map_ok(|m| m.location.as_ref().to_string())
                .try_collect()
                .await
        })
        .expect("list the bucket");
        keys.sort();
        keys
    }

    pub fn get(&self, key: &str) -> Vec<u8> {
        use object_store::ObjectStoreExt;
        let store = self.store();
        block_on(async { store.get(&key.into()).await?.bytes().await })
            .expect("get an object")
            .to_vec()
    }

    pub fn delete(&self, key: &str) {
        use object_store::ObjectStoreExt;
        let store = self.store();
        block_on(async { store.delete(&key.into()).await }).expect("delete an object");
    }
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}
