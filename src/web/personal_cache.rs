//! Signed-in pages kept rendered per user: a juror's list and the organisers' entry list and
//! ranking are 60–355 KB of HTML from several queries, read far more often than anything on them
//! changes. A handler marks such a page [`Personal`]; it is kept under (user, language, path and
//! query) with the *list version* it was rendered at, and a later GET of the same address by the
//! same user is answered from memory while the version read with their session is the same, the
//! page's own text has not changed with the time, and it is under [`MAX_AGE`] old.
//!
//! The version (migration `list_version`) is raised after every write request of any instance,
//! after the background jobs' writes and by the commands that change data, each time after the
//! writing transaction committed: a reader reads the version (with its session) before its data,
//! so a page can be kept under an older version than its data but never under a newer one. The
//! session's CSRF token is cut out of the kept page and the reader's own put back, so another
//! session of the same user gets a page with its own token. A page with a one-time message, a
//! pending privacy acknowledgement or second-factor set-up is never kept or served from here.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_session::SessionExt;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpResponse, web};
use chrono::NaiveDateTime;

use crate::i18n::Lang;
use crate::urls;
use crate::web::AppState;
use crate::web::ctx::Ctx;
use crate::web::encoding::{self, Gzipped, Sliced};
use crate::web::metrics::RouteLabel;

/// A kept page is rendered again at least this often, whatever the version says: the bound on
/// how long a change nothing announced (a row edited by hand in the database) can go unseen.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// Memory for kept pages, all users together; beyond it the oldest go first.
const BUDGET: usize = 8 << 20;
/// A larger page is not kept.
const LARGEST: usize = 1 << 20;

/// Signed-in pages this instance renders at once, at most: twice the cores. Rendering is work
/// for the CPU, and a request beyond that now waits holding nothing, where it held its page's
/// rows, text and compressed copy (about 3 MB for the 390 KB ranking): sixteen hard reloads of
/// it at once took the server from 20 to 33 MB, at the rate four reached.
struct RenderLimit(tokio::sync::Semaphore);

impl Default for RenderLimit {
    fn default() -> RenderLimit {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        RenderLimit(tokio::sync::Semaphore::new(cores * 2))
    }
}

/// A handler's mark on a page that depends only on its user, language, address and the data
/// (not on a message or an error): it may be kept for them, until `until` when it tells the time.
#[derive(Clone, Copy, Debug)]
pub struct Personal {
    pub until: Option<NaiveDateTime>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    user: i32,
    lang: Lang,
    path_and_query: String,
}

struct Page {
    version: i64,
    until: Option<NaiveDateTime>,
    made: Instant,
    route: RouteLabel,
    /// The page cut at each occurrence of the CSRF token of the session it was rendered for.
    parts: Vec<Bytes>,
    /// The same, compressed in pieces: made for the first reader who takes gzip (every browser).
    gzip: OnceLock<Gzipped>,
    /// Memory taken: the parts (the page without its tokens) and, made already, their compressed
    /// copy.
    len: usize,
}

/// When and for what a page was rendered.
struct Stamp {
    version: i64,
    until: Option<NaiveDateTime>,
    made: Instant,
    route: RouteLabel,
}

impl Page {
    /// The page cut at `token`, compressed too for a reader who takes gzip.
    fn new(body: &Bytes, token: &str, gzip: bool, stamp: Stamp) -> Page {
        // An exact copy: the rendered body's buffer grew by doubling (up to half of it unused).
        let body = Bytes::copy_from_slice(body);
        let parts = cut(&body, token.as_bytes());
        let compressed = OnceLock::new();
        let mut len = body.len() - (parts.len() - 1) * token.len();
        if gzip {
            let g = Gzipped::new(&parts);
            len += g.size();
            let _ = compressed.set(g);
        }
        Page {
            version: stamp.version,
            until: stamp.until,
            made: stamp.made,
            route: stamp.route,
            len,
            parts,
            gzip: compressed,
        }
    }

    /// The page with `token` between its parts: plain, or the gzip stream.
    fn pieces(&self, token: &str, gzip: bool) -> Vec<Bytes> {
        if gzip {
            return self
                .gzip
                .get_or_init(|| Gzipped::new(&self.parts))
                .with_token(token.as_bytes());
        }
        let token = Bytes::copy_from_slice(token.as_bytes());
        let mut pieces = Vec::with_capacity(self.parts.len() * 2);
        for (n, part) in self.parts.iter().enumerate() {
            if n > 0 {
                pieces.push(token.clone());
            }
            pieces.push(part.clone());
        }
        pieces
    }

    fn fresh(&self, version: i64, now: NaiveDateTime, at: Instant) -> bool {
        self.version == version
            && self.until.is_none_or(|u| now < u)
            && at.duration_since(self.made) < MAX_AGE
    }
}

#[derive(Default)]
pub struct PersonalCache {
    pages: Mutex<Store>,
    /// Pages being rendered again because their age or time ran out (the data unchanged as far
    /// as the version tells): meanwhile other requests for one get the copy from a moment ago.
    /// When a kept list reached [`MAX_AGE`], every request in flight for it rendered and
    /// compressed it at once (the server's memory rose by 10 MB under 16 connections).
    renewing: Mutex<HashSet<Key>>,
    rendering: RenderLimit,
}

/// What the cache has for a request.
enum Lookup<'a> {
    /// The page to serve (fresh, or the previous copy while another request renders it).
    Serve(Arc<Page>),
    /// Render it; with the claim to do so when the page only grew old.
    Render(Option<Renewal<'a>>),
}

/// The claim to render a page again; given up when dropped, however the rendering ends.
struct Renewal<'a> {
    cache: &'a PersonalCache,
    key: Key,
}

impl Drop for Renewal<'_> {
    fn drop(&mut self) {
        if let Ok(mut renewing) = self.cache.renewing.lock() {
            renewing.remove(&self.key);
        }
    }
}

#[derive(Default)]
struct Store {
    map: HashMap<Key, Arc<Page>>,
    bytes: usize,
}

impl PersonalCache {
    #[cfg(test)]
    fn get(&self, key: &Key, version: i64, now: NaiveDateTime) -> Option<Arc<Page>> {
        let pages = self.pages.lock().ok()?;
        pages
            .map
            .get(key)
            .filter(|p| p.fresh(version, now, Instant::now()))
            .cloned()
    }

    fn lookup(&self, key: &Key, version: i64, now: NaiveDateTime) -> Lookup<'_> {
        let Some(page) = self
            .pages
            .lock()
            .ok()
            .and_then(|pages| pages.map.get(key).cloned())
        else {
            return Lookup::Render(None);
        };
        if page.fresh(version, now, Instant::now()) {
            return Lookup::Serve(page);
        }
        // Of an older version: something was written since, never served.
        if page.version != version {
            return Lookup::Render(None);
        }
        let Ok(mut renewing) = self.renewing.lock() else {
            return Lookup::Render(None);
        };
        if renewing.insert(key.clone()) {
            Lookup::Render(Some(Renewal {
                cache: self,
                key: key.clone(),
            }))
        } else {
            Lookup::Serve(page)
        }
    }

    fn put(&self, key: Key, page: Arc<Page>) {
        let Ok(mut store) = self.pages.lock() else {
            return;
        };
        if let Some(old) = store.map.remove(&key) {
            store.bytes -= old.len;
        }
        if store.bytes + page.len > BUDGET {
            // Stale pages first, then the oldest, until the new one fits.
            let (version, at) = (page.version, Instant::now());
            store
                .map
                .retain(|_, p| p.version == version && at.duration_since(p.made) < MAX_AGE);
            let mut by_age: Vec<(Instant, Key)> =
                store.map.iter().map(|(k, p)| (p.made, k.clone())).collect();
            by_age.sort_by_key(|(made, _)| *made);
            let mut bytes: usize = store.map.values().map(|p| p.len).sum();
            for (_, k) in by_age {
                if bytes + page.len <= BUDGET {
                    break;
                }
                if let Some(p) = store.map.remove(&k) {
                    bytes -= p.len;
                }
            }
            store.bytes = bytes;
        }
        store.bytes += page.len;
        store.map.insert(key, page);
    }

    /// Forgets every page (the version could not be raised after a write).
    fn clear(&self) {
        if let Ok(mut store) = self.pages.lock() {
            store.map.clear();
            store.bytes = 0;
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.pages.lock().map(|s| s.map.len()).unwrap_or(0)
    }
}

/// `body` cut at every occurrence of `token` (which is never empty).
fn cut(body: &Bytes, token: &[u8]) -> Vec<Bytes> {
    let mut parts = Vec::new();
    let mut start = 0;
    let finder = memchr::memmem::Finder::new(token);
    for at in finder.find_iter(body) {
        parts.push(body.slice(start..at));
        start = at + token.len();
    }
    parts.push(body.slice(start..));
    parts
}

/// The kept page with the reader's `token` between its parts, as gzip when the client takes it
/// (the compression inside leaves a response alone once it has a `Content-Encoding`).
fn answer(req: &actix_web::HttpRequest, page: &Page, token: &str) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::VARY, "Accept-Encoding"));
    let gzip = encoding::takes_gzip(req);
    if gzip {
        res.insert_header((header::CONTENT_ENCODING, "gzip"));
    }
    res.body(Sliced::new(page.pieces(token, gzip)))
}

fn is_read(m: &Method) -> bool {
    m == Method::GET || m == Method::HEAD
}

/// Writes that cannot change what a kept page shows (only the writer's own session, throttle
/// counters and sign-in record): no need to make every instance render its pages again.
fn changes_no_page(path: &str) -> bool {
    [
        urls::login(),
        urls::login_code(),
        urls::logout(),
        urls::password_forgot(),
        urls::verify_resend(),
    ]
    .iter()
    .any(|p| p == path)
}

/// The middleware (inside the session's): answers a signed-in GET from memory, keeps what
/// handlers mark [`Personal`], and raises the version after every write request.
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
    if !is_read(req.method()) {
        let path = req.path().to_string();
        let res = next.call(req).await?;
        if !changes_no_page(&path) {
            raise_version(&state).await;
        }
        return Ok(res.map_into_boxed_body().map_into_left_body());
    }
    let Some((key, version)) = key(&req).await else {
        return Ok(next
            .call(req)
            .await?
            .map_into_boxed_body()
            .map_into_left_body());
    };
    let cache = &state.personal;
    // A hard reload (`Cache-Control: no-cache`) asks for the page as it is now: rendered anew.
    // The claim to render an aged page is held until it is kept (the end of this function).
    let mut _renewal = None;
    if !wants_fresh(&req) {
        match cache.lookup(&key, version, state.now()) {
            Lookup::Serve(page) => {
                let (req, _) = req.into_parts();
                let token = crate::web::csrf::token(&req.get_session());
                req.extensions_mut().insert(page.route.clone());
                let res = answer(&req, &page, &token);
                return Ok(ServiceResponse::new(req, res).map_into_right_body());
            }
            Lookup::Render(claim) => _renewal = claim,
        }
    }
    let is_get = req.method() == Method::GET;
    // Held until the page is kept (or answered as rendered): the end of this function.
    let _rendering = cache.rendering.0.acquire().await.ok();
    let res = next.call(req).await?;
    let mark = res.response().extensions().get::<Personal>().copied();
    let (Some(mark), true, StatusCode::OK) = (mark, is_get, res.status()) else {
        return Ok(res.map_into_boxed_body().map_into_left_body());
    };
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let body = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("page body unreadable"))?;
    let token = crate::web::csrf::token(&req.get_session());
    if body.len() > LARGEST || token.is_empty() {
        let res = head.set_body(BoxBody::new(body));
        return Ok(ServiceResponse::new(req, res).map_into_left_body());
    }
    let route = req
        .extensions()
        .get::<RouteLabel>()
        .cloned()
        .unwrap_or_else(|| RouteLabel(req.match_pattern().unwrap_or_default().into()));
    let stamp = Stamp {
        version,
        until: mark.until,
        made: Instant::now(),
        route,
    };
    let gzip = encoding::takes_gzip(&req);
    // Cut and compressed off the async threads (a few milliseconds for the largest lists).
    let page = {
        let token = token.clone();
        web::block(move || Page::new(&body, &token, gzip, stamp))
            .await
            .map_err(actix_web::error::ErrorInternalServerError)?
    };
    let page = Arc::new(page);
    cache.put(key, page.clone());
    let res = answer(&req, &page, &token);
    Ok(ServiceResponse::new(req, res).map_into_right_body())
}

fn wants_fresh(req: &ServiceRequest) -> bool {
    [header::CACHE_CONTROL, header::PRAGMA].iter().any(|h| {
        req.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("no-cache"))
    })
}

/// The key of a signed-in user's GET that may be answered from memory, with the version read
/// with their session.
async fn key(req: &ServiceRequest) -> Option<(Key, i64)> {
    req.cookie(crate::startup::SESSION_COOKIE)?;
    let ctx = Ctx::load(req.request()).await.ok()?;
    let user = ctx.user.as_ref()?;
    if ctx.list_version == 0
        || ctx.two_factor_due
        || user.privacy_pending.is_some()
        || ctx.has_flash()
    {
        return None;
    }
    Some((
        Key {
            user: user.id,
            lang: ctx.lang,
            path_and_query: ctx.path_and_query(),
        },
        ctx.list_version,
    ))
}

/// After a write request (whatever its outcome: a refused one changed nothing, and raising is
/// cheap): every instance renders its kept pages again. Should the database refuse, this
/// instance forgets its own; the others' expire within [`MAX_AGE`].
pub async fn raise_version(state: &AppState) {
    if let Err(e) = state
        .db
        .run(|c| Ok(crate::db::sessions::bump_list_version(c)?))
        .await
    {
        tracing::warn!(error = %e, "signed-in pages' version not raised; forgetting this instance's");
        state.personal.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(version: i64, text: &'static str, token: &str) -> Arc<Page> {
        let body = Bytes::from_static(text.as_bytes());
        let stamp = Stamp {
            version,
            until: None,
            made: Instant::now(),
            route: RouteLabel("/x".into()),
        };
        // Compressed at once for even versions, on the first gzip reader for odd ones.
        Arc::new(Page::new(&body, token, version % 2 == 0, stamp))
    }

    /// The page as the reader gets it, plain; checks that its gzip form says the same.
    fn joined(p: &Page, token: &str) -> String {
        let plain: Vec<u8> = p.pieces(token, false).concat();
        let gzip: Vec<u8> = p.pieces(token, true).concat();
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut unzipped)
            .expect("valid gzip");
        assert_eq!(unzipped, plain, "gzip and plain say the same");
        String::from_utf8(plain).unwrap()
    }

    #[test]
    fn the_readers_token_replaces_the_writers() {
        let p = page(
            1,
            "<input value=\"AAA\"><p>x</p><input value=\"AAA\">AAA",
            "AAA",
        );
        assert_eq!(p.parts.len(), 4);
        assert_eq!(
            joined(&p, "bbbb"),
            "<input value=\"bbbb\"><p>x</p><input value=\"bbbb\">bbbb"
        );
        assert_eq!(joined(&page(1, "no form", "AAA"), "b"), "no form");
        let long: &'static str = "x".repeat(encoding::SLICE * 3 + 5).leak();
        let spliced = format!("{long}AAA{long}");
        let spliced: &'static str = spliced.leak();
        assert_eq!(
            joined(&page(2, spliced, "AAA"), "bb"),
            format!("{long}bb{long}")
        );
        assert_eq!(joined(&page(1, "", "AAA"), "b"), "");
    }

    #[test]
    fn a_page_is_served_only_at_its_version_time_and_age() {
        let cache = PersonalCache::default();
        let key = Key {
            user: 1,
            lang: Lang::Pl,
            path_and_query: "/jury".into(),
        };
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let mut p = Arc::into_inner(page(7, "x", "t")).unwrap();
        p.until = Some(now + chrono::Duration::minutes(1));
        cache.put(key.clone(), Arc::new(p));
        assert!(cache.get(&key, 7, now).is_some());
        assert!(cache.get(&key, 8, now).is_none(), "a newer version");
        assert!(
            cache
                .get(&key, 7, now + chrono::Duration::minutes(1))
                .is_none(),
            "its text changed with the time"
        );
        let other = Key {
            user: 2,
            ..key.clone()
        };
        assert!(cache.get(&other, 7, now).is_none(), "another user's");
        let mut old = Arc::into_inner(page(7, "x", "t")).unwrap();
        old.made = Instant::now() - MAX_AGE;
        cache.put(key.clone(), Arc::new(old));
        assert!(cache.get(&key, 7, now).is_none(), "too old");
        // Too old: one request renders it again, the others meanwhile get it as it was; once
        // that rendering ends (however), the next one may render. A newer version: rendered.
        let render = |l: Lookup<'_>| match l {
            Lookup::Render(claim) => claim.is_some(),
            Lookup::Serve(_) => panic!("served"),
        };
        let first = cache.lookup(&key, 7, now);
        assert!(matches!(first, Lookup::Render(Some(_))));
        assert!(matches!(cache.lookup(&key, 7, now), Lookup::Serve(_)));
        drop(first);
        assert!(render(cache.lookup(&key, 7, now)), "claimed again");
        assert!(
            !render(cache.lookup(&key, 8, now)),
            "a newer version is never served"
        );
    }

    #[test]
    fn the_budget_drops_the_oldest_first() {
        static BIG: [u8; LARGEST] = [b'x'; LARGEST];
        let cache = PersonalCache::default();
        let big = |v| {
            Arc::new(Page {
                version: v,
                until: None,
                made: Instant::now(),
                route: RouteLabel("/x".into()),
                parts: vec![Bytes::from_static(&BIG)],
                gzip: OnceLock::new(),
                len: LARGEST,
            })
        };
        for user in 0..20 {
            cache.put(
                Key {
                    user,
                    lang: Lang::En,
                    path_and_query: "/jury".into(),
                },
                big(3),
            );
        }
        assert_eq!(cache.len(), BUDGET / LARGEST);
        let newest = Key {
            user: 19,
            lang: Lang::En,
            path_and_query: "/jury".into(),
        };
        assert!(cache.get(&newest, 3, chrono::NaiveDateTime::MIN).is_some());
        let oldest = Key { user: 0, ..newest };
        assert!(cache.get(&oldest, 3, chrono::NaiveDateTime::MIN).is_none());
    }
}
