//! Public pages that are the same for every anonymous visitor (the home page, the calls, an
//! edition's call page and results, the site's statements) are rendered once and served from
//! memory, compressed in advance, with an `ETag` and `Last-Modified` that answer 304.
//!
//! A page is kept only when its handler marks it [`Shareable`] (it showed nothing of a
//! session) and only for requests that carry no session cookie and no query, keyed by path and
//! language. Every copy is tagged with the public version it was rendered at: the database
//! raises that number with every change to what a public page shows (triggers, migration
//! `public_version`). This instance reads it after each of its own write requests — so an
//! organiser sees their change at once — and every [`CHECK_EVERY`] otherwise, which is how a
//! change made through another instance (or a command) arrives. A page whose text depends on
//! the time (a call that opens or closes, the time left) is kept only until it would change.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

use crate::db::Db;
use crate::i18n::Lang;
use crate::web::AppState;
use crate::web::encoding::{self, preferred};
use crate::web::metrics::RouteLabel;
use crate::web::middleware::LANG_COOKIE;

/// How often an instance looks for changes made elsewhere.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);
/// At most this many pages are kept (each edition has two public pages per language); a full
/// cache keeps what it has and renders the rest each time.
const MAX_PAGES: usize = 512;

/// A handler's mark on a page it rendered without anything of the visitor's session: it may be
/// served to every anonymous visitor, until `until` when its text depends on the time.
#[derive(Clone, Copy, Debug)]
pub struct Shareable {
    pub until: Option<NaiveDateTime>,
}

/// One page in each encoding, with its validators.
struct Page {
    /// The route it was rendered by, for the metrics of the requests it answers.
    route: RouteLabel,
    version: i64,
    until: Option<NaiveDateTime>,
    etag: HeaderValue,
    modified: SystemTime,
    last_modified: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<(String, Lang), Arc<Page>>>,
    /// Pages being rendered again because their text changed with the time: meanwhile the
    /// others asking for one get the copy from a moment ago instead of rendering it as well
    /// (every request in flight at the minute's turn rendered and compressed the same page).
    renewing: Mutex<HashSet<(String, Lang)>>,
    /// The public version last read from the database (0: not read yet, nothing is kept).
    version: AtomicI64,
}

impl PageCache {
    fn get(&self, key: &(String, Lang), now: NaiveDateTime) -> Option<Arc<Page>> {
        let version = self.version.load(Ordering::Acquire);
        let pages = self
            .pages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pages
            .get(key)
            .filter(|p| p.version == version && p.until.is_none_or(|u| now < u))
            .cloned()
    }

    /// A page of this version whose time has run out, while another request renders it anew;
    /// otherwise `None`, and the caller renders it (holding the returned claim until then).
    fn stale_or_claim(&self, key: &(String, Lang)) -> (Option<Arc<Page>>, Option<Renewal<'_>>) {
        let version = self.version.load(Ordering::Acquire);
        let stale = self
            .pages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .filter(|p| p.version == version && p.until.is_some())
            .cloned();
        let Some(stale) = stale else {
            return (None, None);
        };
        let mut renewing = self
            .renewing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if renewing.insert(key.clone()) {
            (
                None,
                Some(Renewal {
                    cache: self,
                    key: key.clone(),
                }),
            )
        } else {
            (Some(stale), None)
        }
    }

    fn put(&self, key: (String, Lang), page: Arc<Page>) {
        let mut pages = self
            .pages
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Rendered before a change this instance has seen since: not kept.
        if page.version != self.version.load(Ordering::Acquire) {
            return;
        }
        if pages.len() >= MAX_PAGES {
            pages.retain(|_, p| p.version == page.version);
        }
        if pages.len() < MAX_PAGES {
            pages.insert(key, page);
        }
    }

    fn is_empty(&self) -> bool {
        self.pages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_empty()
    }

    /// Takes the version the database has now; a new one drops every page.
    pub fn set_version(&self, version: i64) {
        if self.version.swap(version, Ordering::AcqRel) != version {
            self.pages
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clear();
        }
    }

    /// Reads the version from the database. On failure nothing is served from memory until a
    /// read succeeds (the version is unknown).
    pub async fn refresh(&self, db: &Db) {
        match db.run(|c| Ok(crate::db::site::public_version(c)?)).await {
            Ok(v) => self.set_version(v),
            Err(e) => {
                tracing::warn!(error = %e, "public pages' version unreadable; rendering each time");
                self.set_version(0);
            }
        }
    }

    /// Reads the version every [`CHECK_EVERY`] (the first time one period after start, which
    /// reads it itself) until `stop` says so.
    pub async fn watch(self: Arc<Self>, db: Db, mut stop: tokio::sync::watch::Receiver<bool>) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(CHECK_EVERY) => {}
                _ = stop.changed() => if *stop.borrow() { return },
            }
            self.refresh(&db).await;
        }
    }
}

/// The claim to render a page again; given up when dropped, however the rendering ends.
struct Renewal<'a> {
    cache: &'a PageCache,
    key: (String, Lang),
}

impl Drop for Renewal<'_> {
    fn drop(&mut self) {
        self.cache
            .renewing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.key);
    }
}

fn is_read(m: &Method) -> bool {
    m == Method::GET || m == Method::HEAD
}

/// The key of a request that may be answered from memory: a GET or HEAD without a query and
/// without a session cookie (a signed-in visitor's pages are their own; an anonymous session
/// may hold a message for the next page).
fn key(req: &ServiceRequest) -> Option<(String, Lang)> {
    if !is_read(req.method())
        || !req.query_string().is_empty()
        || req.cookie(crate::startup::SESSION_COOKIE).is_some()
    {
        return None;
    }
    let lang = req
        .cookie(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
        .unwrap_or_default();
    Some((req.path().to_string(), lang))
}

/// The middleware: answers from memory, keeps what handlers mark [`Shareable`], and reads the
/// version after every write request of this instance.
pub async fn serve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next
            .call(req)
            .await?
            .map_into_boxed_body()
            .map_into_left_body());
    };
    let cache = &state.pages;
    let Some(key) = key(&req) else {
        let write = !is_read(req.method());
        let res = next.call(req).await?;
        if write && !cache.is_empty() {
            cache.refresh(&state.db).await;
        }
        return Ok(res.map_into_boxed_body().map_into_left_body());
    };
    // Fresh, or the copy from a moment ago while another request renders it again.
    let fresh = cache.get(&key, state.now());
    let (stale, _renewal) = match fresh {
        Some(_) => (None, None),
        None => cache.stale_or_claim(&key),
    };
    if let Some(page) = fresh.or(stale) {
        let (req, _) = req.into_parts();
        req.extensions_mut().insert(page.route.clone());
        let res = answer(&req, &page, preferred(&req));
        return Ok(ServiceResponse::new(req, res).map_into_right_body());
    }
    let version = cache.version.load(Ordering::Acquire);
    // A HEAD's body may be left out on the way: only a GET fills the cache.
    let is_get = req.method() == Method::GET;
    // The page is rendered plain (the compression inside would otherwise encode it, and an
    // encoded page is not kept) and answered below in the encoding the client takes.
    let coding = preferred(req.request());
    let takes_gzip = encoding::takes_gzip(req.request());
    let mut req = req;
    req.headers_mut().remove(header::ACCEPT_ENCODING);
    let res = next.call(req).await?;
    let shareable = res.response().extensions().get::<Shareable>().copied();
    let keep = version != 0
        && is_get
        && res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING);
    let (Some(mark), true) = (shareable, keep) else {
        // Not kept (the login form, an error page): compressed here, since the header was taken
        // off on the way in.
        return Ok(encoding::gzip_response(res, takes_gzip)
            .map_into_boxed_body()
            .map_into_left_body());
    };
    let (req, res) = res.into_parts();
    let route = RouteLabel(req.match_pattern().unwrap_or_default().into());
    let body = actix_web::body::to_bytes(res.into_body())
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("page body unreadable"))?;
    let page = web::block(move || Page::new(body, route, version, mark.until))
        .await
        .map_err(actix_web::error::ErrorInternalServerError)?;
    let page = Arc::new(page);
    cache.put(key, page.clone());
    let res = answer(&req, &page, coding);
    Ok(ServiceResponse::new(req, res).map_into_right_body())
}

impl Page {
    fn new(identity: Bytes, route: RouteLabel, version: i64, until: Option<NaiveDateTime>) -> Page {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&identity);
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        // Weak: one tag for the page in every encoding (the same text, compressed or not).
        let etag = HeaderValue::from_str(&format!("W/\"{hex}\"")).expect("hex is a valid tag");
        let modified = SystemTime::now();
        let last_modified = HeaderValue::from_str(&header::HttpDate::from(modified).to_string())
            .expect("an HTTP date is a valid header value");
        Page {
            route,
            version,
            until,
            etag,
            modified,
            last_modified,
            gzip: gzip(&identity),
            brotli: brotli(&identity),
            identity,
        }
    }
}

fn gzip(body: &[u8]) -> Bytes {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(body);
    enc.finish().map(Bytes::from).unwrap_or_default()
}

fn brotli(body: &[u8]) -> Bytes {
    let (quality, window) = brotli_settings(body.len());
    let mut out = Vec::new();
    {
        let mut enc = ::brotli::CompressorWriter::new(&mut out, 4096, quality, window);
        let _ = enc.write_all(body);
    }
    Bytes::from(out)
}

/// Brotli's quality and window (log2 of its size) for a page of `len` bytes. Qualities 5–9 with
/// a window under 128 KB, and 7–9 with any, hash with tables of 8–32 MB whatever the page's size
/// (quality 9 with a 4 MB window took 33 MB for a 5 KB page, at every change of a public page).
/// Quality 11 with a window no larger than the page takes about 1 MB and 15 ms for 8 KB and
/// compresses best; quality 5 with a 256 KB window compresses larger pages as well as quality 9
/// did, in a few milliseconds and 1–3 MB.
fn brotli_settings(len: usize) -> (u32, u32) {
    if len <= 8 << 10 {
        let bits = usize::BITS - len.max(1).leading_zeros();
        (11, bits.clamp(10, 14))
    } else {
        (5, 18)
    }
}

/// The request's copy is the one kept: `If-None-Match` names its tag, or (without one)
/// `If-Modified-Since` is not older than it.
fn not_modified(req: &HttpRequest, page: &Page) -> bool {
    if let Some(tags) = req.headers().get(header::IF_NONE_MATCH) {
        let tags = tags.to_str().unwrap_or("");
        let ours = page.etag.to_str().unwrap_or("");
        let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
        return tags
            .split(',')
            .any(|t| t.trim() == "*" || opaque(t) == opaque(ours));
    }
    req.headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<header::HttpDate>().ok())
        // A date in the future is not a date the client got from us: ignored (RFC 9110).
        .filter(|since| SystemTime::from(*since) <= SystemTime::now())
        .is_some_and(|since| {
            // HTTP dates have whole seconds.
            let modified = page
                .modified
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            SystemTime::from(since)
                .duration_since(SystemTime::UNIX_EPOCH)
                .is_ok_and(|s| s.as_secs() >= modified)
        })
}

fn answer(req: &HttpRequest, page: &Page, coding: Option<&'static str>) -> HttpResponse {
    let unchanged = not_modified(req, page);
    let mut res = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, page.etag.clone()))
        .insert_header((header::LAST_MODIFIED, page.last_modified.clone()))
        // Kept by browsers, but asked again each time (the 304 is cheap).
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::VARY, "Accept-Encoding, Cookie"));
    if unchanged {
        return res.finish();
    }
    res.content_type("text/html; charset=utf-8");
    match coding {
        Some("br") if !page.brotli.is_empty() => res
            .insert_header((header::CONTENT_ENCODING, "br"))
            .body(page.brotli.clone()),
        Some("gzip" | "br") if !page.gzip.is_empty() => res
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(page.gzip.clone()),
        _ => res.body(page.identity.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn page() -> Page {
        Page::new(
            Bytes::from_static(b"<p>Wyniki</p>"),
            RouteLabel("/".into()),
            7,
            None,
        )
    }

    #[test]
    fn a_matching_tag_or_date_is_not_modified() {
        let p = page();
        let with = |name: header::HeaderName, v: &str| {
            TestRequest::default()
                .insert_header((name, v))
                .to_http_request()
        };
        let tag = p.etag.to_str().unwrap().to_string();
        assert!(not_modified(&with(header::IF_NONE_MATCH, &tag), &p));
        // The strong form of the same tag, and a list holding it.
        let strong = tag.trim_start_matches("W/").to_string();
        assert!(not_modified(&with(header::IF_NONE_MATCH, &strong), &p));
        assert!(not_modified(
            &with(header::IF_NONE_MATCH, &format!("\"x\", {tag}")),
            &p
        ));
        assert!(!not_modified(
            &with(header::IF_NONE_MATCH, "W/\"other\""),
            &p
        ));
        let lm = p.last_modified.to_str().unwrap().to_string();
        assert!(not_modified(&with(header::IF_MODIFIED_SINCE, &lm), &p));
        assert!(!not_modified(
            &with(header::IF_MODIFIED_SINCE, "Mon, 01 Jan 2001 00:00:00 GMT"),
            &p
        ));
        assert!(!not_modified(&TestRequest::default().to_http_request(), &p));
        // A date in the future is ignored.
        assert!(!not_modified(
            &with(header::IF_MODIFIED_SINCE, "Fri, 01 Jan 2100 00:00:00 GMT"),
            &p
        ));
    }

    #[test]
    fn compressed_copies_decode_to_the_page() {
        use std::io::Read;
        let p = page();
        let mut gz = String::new();
        flate2::read::GzDecoder::new(&p.gzip[..])
            .read_to_string(&mut gz)
            .unwrap();
        assert_eq!(gz, "<p>Wyniki</p>");
        let mut br = String::new();
        ::brotli::Decompressor::new(&p.brotli[..], 4096)
            .read_to_string(&mut br)
            .unwrap();
        assert_eq!(br, "<p>Wyniki</p>");
        // A page past the small pages' settings.
        let long: String = (0..3000).map(|n| format!("<li>Wpis {n}</li>")).collect();
        let mut br = String::new();
        ::brotli::Decompressor::new(&brotli(long.as_bytes())[..], 4096)
            .read_to_string(&mut br)
            .unwrap();
        assert_eq!(br, long);
    }

    #[test]
    fn a_new_version_drops_every_page_and_stale_renders_are_not_kept() {
        let cache = PageCache::default();
        cache.set_version(7);
        let key = ("/".to_string(), Lang::Pl);
        let now = chrono::DateTime::from_timestamp(0, 0).unwrap().naive_utc();
        cache.put(key.clone(), Arc::new(page()));
        assert!(cache.get(&key, now).is_some());
        cache.set_version(8);
        assert!(cache.get(&key, now).is_none());
        // Rendered at 7, arriving after 8 was seen: not kept.
        cache.put(key.clone(), Arc::new(page()));
        assert!(cache.is_empty());
    }

    #[test]
    fn a_page_that_depends_on_the_time_expires() {
        let cache = PageCache::default();
        cache.set_version(7);
        let t = |s| chrono::DateTime::from_timestamp(s, 0).unwrap().naive_utc();
        let mut p = page();
        p.until = Some(t(100));
        let key = ("/".to_string(), Lang::En);
        cache.put(key.clone(), Arc::new(p));
        assert!(cache.get(&key, t(99)).is_some());
        assert!(cache.get(&key, t(100)).is_none());
        // Its time run out: one request renders it again, the others meanwhile get it as it
        // was; once that rendering ends (however), the next one may render.
        let (stale, claim) = cache.stale_or_claim(&key);
        assert!(stale.is_none() && claim.is_some());
        let (stale, second) = cache.stale_or_claim(&key);
        assert!(stale.is_some() && second.is_none());
        drop(claim);
        let (stale, again) = cache.stale_or_claim(&key);
        assert!(stale.is_none() && again.is_some());
        // A page that does not tell the time, or of another version, is never served stale.
        cache.set_version(8);
        assert_eq!(cache.stale_or_claim(&key).0.map(|_| ()), None);
    }
}
