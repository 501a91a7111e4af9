//! How responses are encoded and handed to the server: which compression a client takes, pages
//! gzipped at once as they are rendered, kept pages compressed once in pieces a CSRF token can go
//! between, and large bodies sent in slices.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::HttpRequest;
use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

/// The largest chunk handed to the server at once. actix copies each chunk into the
/// connection's write buffer and keeps that buffer's size for the life of the connection: a
/// 390 KB page sent as one chunk left every kept-alive connection holding half a megabyte.
pub const SLICE: usize = 16 << 10;

/// Which encoding the client prefers by its q-values: brotli or gzip (brotli on a tie), or none
/// (`q=0` refuses one; `*` stands for any not named).
pub fn preferred(req: &HttpRequest) -> Option<&'static str> {
    let (br, gz) = q_values(req);
    if br > 0.0 && br >= gz {
        Some("br")
    } else if gz > 0.0 {
        Some("gzip")
    } else {
        None
    }
}

/// The client takes gzip (every browser does).
pub fn takes_gzip(req: &HttpRequest) -> bool {
    q_values(req).1 > 0.0
}

/// The q-values of brotli and gzip in `Accept-Encoding` (0 when not accepted).
fn q_values(req: &HttpRequest) -> (f32, f32) {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return (0.0, 0.0);
    };
    let mut named: Vec<(String, f32)> = Vec::new();
    for part in accept.split(',') {
        let mut it = part.split(';');
        let coding = it.next().unwrap_or("").trim().to_ascii_lowercase();
        if coding.is_empty() {
            continue;
        }
        let q = it
            .find_map(|p| {
                let p = p.trim();
                // The parameter's name is case-insensitive (RFC 9110 §12.4.2): `Q=0` refuses too.
                p.get(..2)
                    .filter(|n| n.eq_ignore_ascii_case("q="))
                    .map(|_| p[2..].trim().parse::<f32>())
            })
            .map_or(1.0, |q| q.unwrap_or(0.0));
        named.push((coding, if q.is_finite() { q } else { 0.0 }));
    }
    let q_of = |name: &str| {
        named
            .iter()
            .find(|(c, _)| c == name)
            .or_else(|| named.iter().find(|(c, _)| c == "*"))
            .map_or(0.0, |(_, q)| *q)
    };
    (q_of("br"), q_of("gzip"))
}

/// Middleware, the one compression of pages made per request: a body held in memory (a page
/// just rendered, an error page, an export) goes out gzip-compressed to a client that takes gzip
/// (every browser), compressed at once on this thread and the page freed. actix's compression,
/// used before, queued it for the blocking pool, where the page and then its compressor waited
/// their turn (under sixteen connections asking for the 390 KB ranking, 14 MB more memory), and
/// chose brotli with a 4 MB window for every response when a browser offered it (a fifth of
/// gzip's rate). Streamed bodies are attachments and archives of them, compressed already: sent
/// as they are. Public pages kept in memory go out in brotli, compressed in advance (`page_cache`).
pub async fn gzip_at_once(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let gzip = takes_gzip(req.request());
    Ok(gzip_response(next.call(req).await?, gzip))
}

/// The response gzip-compressed at once when `gzip` (the client takes it) and it is a text body
/// held in memory; otherwise as it is.
pub fn gzip_response<B: MessageBody>(
    res: ServiceResponse<B>,
    gzip: bool,
) -> ServiceResponse<actix_web::body::EitherBody<B, Bytes>> {
    if !gzip || !compressible(res.response()) {
        return res.map_into_left_body();
    }
    res.map_body(|head, body| {
        let plain = match body.try_into_bytes() {
            Ok(plain) => plain,
            Err(body) => return actix_web::body::EitherBody::left(body),
        };
        let Some(packed) = gzip_fast(&plain) else {
            return actix_web::body::EitherBody::right(plain);
        };
        head.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        // A strong validator names these very bytes; the compressed ones are other bytes.
        let strong = head
            .headers()
            .get(header::ETAG)
            .and_then(|t| t.to_str().ok())
            .filter(|t| t.starts_with('"'))
            .and_then(|t| HeaderValue::from_str(&format!("W/{t}")).ok());
        if let Some(weak) = strong {
            head.headers_mut().insert(header::ETAG, weak);
        }
        head.headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
        actix_web::body::EitherBody::right(Bytes::from(packed))
    })
}

/// A response worth compressing here: a text body held in memory, not encoded yet, with a
/// status that carries a body of its own (not a range of one).
fn compressible<B: MessageBody>(res: &actix_web::HttpResponse<B>) -> bool {
    let sized = matches!(res.body().size(), BodySize::Sized(n) if n > 0);
    let status = res.status().as_u16();
    let headers = res.headers();
    let text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|t| {
            t.starts_with("text/")
                || t.ends_with("+json")
                || t.ends_with("+xml")
                || matches!(
                    t.as_str(),
                    "application/json"
                        | "application/xml"
                        | "application/javascript"
                        | "image/svg+xml"
                )
        });
    sized
        && text
        && !matches!(status, 100..=199 | 204 | 206 | 304)
        && !headers.contains_key(header::CONTENT_ENCODING)
        && !headers.contains_key(header::CONTENT_RANGE)
}

/// `data` as one gzip member, at the fastest level (what actix's compression used).
fn gzip_fast(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 5 + 64),
        flate2::Compression::fast(),
    );
    e.write_all(data).ok()?;
    e.finish().ok()
}

/// Middleware: a body held in memory and larger than [`SLICE`] goes to the server in slices
/// (no copy: each slice shares the body's buffer).
pub async fn slice_bodies(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let large = matches!(res.response().body().size(), BodySize::Sized(n) if n > SLICE as u64);
    Ok(res.map_body(|_, body| {
        if !large {
            return actix_web::body::EitherBody::left(body);
        }
        match body.try_into_bytes() {
            Ok(bytes) => actix_web::body::EitherBody::right(Sliced::new(vec![bytes])),
            Err(body) => actix_web::body::EitherBody::left(body),
        }
    }))
}

/// A body made of pieces held in memory, handed over at most [`SLICE`] bytes at a time.
pub struct Sliced {
    pieces: Vec<Bytes>,
    /// Next piece to send, and how much of it has been sent.
    next: usize,
    offset: usize,
    len: usize,
}

impl Sliced {
    pub fn new(pieces: Vec<Bytes>) -> Sliced {
        let len = pieces.iter().map(Bytes::len).sum();
        Sliced {
            pieces,
            next: 0,
            offset: 0,
            len,
        }
    }
}

impl MessageBody for Sliced {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.len as u64)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        loop {
            let Some(piece) = this.pieces.get(this.next) else {
                return Poll::Ready(None);
            };
            let rest = piece.len() - this.offset;
            if rest == 0 {
                this.next += 1;
                this.offset = 0;
                continue;
            }
            let take = rest.min(SLICE);
            let slice = piece.slice(this.offset..this.offset + take);
            this.offset += take;
            return Poll::Ready(Some(Ok(slice)));
        }
    }
}

/// A page compressed once as gzip in pieces, so that a short text (the reader's CSRF token) can
/// be put between any two of them on every request without compressing anything again. Each
/// piece is a raw deflate stream of its own, flushed to a byte boundary and not final; a token
/// goes in between as a stored block; the trailer's CRC-32 is the pieces' and tokens' CRCs
/// combined (RFC 1951 §3.2.4, RFC 1952).
pub struct Gzipped {
    deflated: Vec<Bytes>,
    /// Each piece's CRC-32 (with its length), uncompressed.
    crcs: Vec<crc32fast::Hasher>,
    /// The pieces' length together, uncompressed.
    plain_len: u64,
}

/// gzip's member header: deflate, no name or time, operating system unknown.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

impl Gzipped {
    pub fn new(parts: &[Bytes]) -> Gzipped {
        Gzipped {
            deflated: parts
                .iter()
                .map(|p| Bytes::from(deflate_flushed(p)))
                .collect(),
            crcs: parts
                .iter()
                .map(|p| {
                    let mut h = crc32fast::Hasher::new();
                    h.update(p);
                    h
                })
                .collect(),
            plain_len: parts.iter().map(|p| p.len() as u64).sum(),
        }
    }

    /// The compressed size without tokens (memory taken).
    pub fn size(&self) -> usize {
        self.deflated.iter().map(Bytes::len).sum()
    }

    /// The whole gzip stream with `token` between every two pieces (tokens are short: well under
    /// a stored block's 65,535 bytes).
    pub fn with_token(&self, token: &[u8]) -> Vec<Bytes> {
        let mut out = Vec::with_capacity(self.deflated.len() * 2 + 1);
        out.push(Bytes::from_static(&GZIP_HEADER));
        let token_block = stored_block(token);
        let mut token_crc = crc32fast::Hasher::new();
        token_crc.update(token);
        let mut crc = crc32fast::Hasher::new();
        for (n, (piece, piece_crc)) in self.deflated.iter().zip(&self.crcs).enumerate() {
            if n > 0 {
                out.push(token_block.clone());
                crc.combine(&token_crc);
            }
            out.push(piece.clone());
            crc.combine(piece_crc);
        }
        let tokens = self.deflated.len().saturating_sub(1) * token.len();
        let total = self.plain_len + tokens as u64;
        let mut tail = Vec::with_capacity(13);
        // The last block: stored, empty, final.
        tail.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
        tail.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE: the length modulo 2^32.
        tail.extend_from_slice(&((total & 0xffff_ffff) as u32).to_le_bytes());
        out.push(Bytes::from(tail));
        out
    }
}

/// A non-final stored block holding `data`, which must be under 64 KiB.
fn stored_block(data: &[u8]) -> Bytes {
    let len = u16::try_from(data.len()).unwrap_or(u16::MAX);
    let mut b = Vec::with_capacity(5 + data.len());
    b.push(0);
    b.extend_from_slice(&len.to_le_bytes());
    b.extend_from_slice(&(!len).to_le_bytes());
    b.extend_from_slice(&data[..usize::from(len)]);
    Bytes::from(b)
}

/// `data` as raw deflate blocks ending on a byte boundary, none of them final (a sync flush).
/// Level 3: a kept list is read by one user a few times at most, and the default level 6 took
/// three times as long for 15 % fewer bytes (the 390 KB ranking: 23 KB instead of 28) — half of
/// the cost of rendering it again.
fn deflate_flushed(data: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::new(3), false);
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    loop {
        let done = usize::try_from(c.total_in()).unwrap_or(data.len());
        if c.compress_vec(&data[done..], &mut out, FlushCompress::Sync)
            .is_err()
        {
            break;
        }
        // The flush is complete once all input is taken and the output did not fill up.
        if usize::try_from(c.total_in()).unwrap_or(0) == data.len() && out.len() < out.capacity() {
            break;
        }
        out.reserve(out.capacity().max(1024));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use std::io::Read;

    #[test]
    fn picks_the_encoding_the_client_takes() {
        let enc = |v: &str| {
            let req = TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, v))
                .to_http_request();
            (preferred(&req), takes_gzip(&req))
        };
        assert_eq!(enc("gzip, deflate, br"), (Some("br"), true));
        assert_eq!(enc("gzip"), (Some("gzip"), true));
        assert_eq!(enc("br;q=0, gzip;q=0.5"), (Some("gzip"), true));
        assert_eq!(enc("identity"), (None, false));
        assert_eq!(enc("*"), (Some("br"), true));
        assert_eq!(enc("gzip;q=0"), (None, false));
        assert_eq!(enc("gzip;Q=0"), (None, false));
        assert_eq!(enc("gzip; Q=0.5, br;q=0"), (Some("gzip"), true));
        assert_eq!(enc("br"), (Some("br"), false));
        assert_eq!(enc("br;q=0.1, gzip;q=0.9"), (Some("gzip"), true));
        assert_eq!(enc("gzip, *;q=0.5"), (Some("gzip"), true));
        assert_eq!(enc("br;q=garbage, gzip"), (Some("gzip"), true));
        assert_eq!(enc(" , ;q=1"), (None, false));
        assert_eq!(preferred(&TestRequest::default().to_http_request()), None);
    }

    fn gunzip(pieces: &[Bytes]) -> Vec<u8> {
        let all: Vec<u8> = pieces.iter().flat_map(|b| b.iter().copied()).collect();
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&all[..])
            .read_to_end(&mut out)
            .expect("a valid gzip stream");
        out
    }

    #[test]
    fn a_gzipped_page_takes_any_token_between_its_pieces() {
        let page: String = (0..4000)
            .map(|n| format!("<tr><td>Zgłoszenie {n}</td><td>źdźbło</td></tr>\n"))
            .collect();
        let parts: Vec<Bytes> = page
            .split("<td>źdźbło</td>")
            .take(4)
            .map(|p| Bytes::from(p.to_string()))
            .chain([Bytes::new()])
            .collect();
        let g = Gzipped::new(&parts);
        assert!(g.size() < page.len() / 4, "compressed: {}", g.size());
        for token in [
            "",
            "t",
            "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6abcd",
        ] {
            let want: Vec<u8> = parts
                .iter()
                .map(|p| p.to_vec())
                .collect::<Vec<_>>()
                .join(token.as_bytes());
            assert_eq!(gunzip(&g.with_token(token.as_bytes())), want);
        }
        // One piece, and an empty page.
        let one = Gzipped::new(&[Bytes::from_static(b"<p>Lista</p>")]);
        assert_eq!(gunzip(&one.with_token(b"x")), b"<p>Lista</p>");
        assert_eq!(gunzip(&Gzipped::new(&[Bytes::new()]).with_token(b"x")), b"");
    }

    #[actix_web::test]
    async fn rendered_text_is_gzipped_at_once_for_clients_that_take_it() {
        use actix_web::{App, HttpResponse, middleware::from_fn, test, web};
        let page = "<p>Zgłoszenie nr 1 — źdźbło</p>\n".repeat(2000);
        let html = page.clone();
        let app = test::init_service(
            App::new()
                .wrap(from_fn(gzip_at_once))
                .route(
                    "/page",
                    web::get().to(move || {
                        let html = html.clone();
                        async move {
                            HttpResponse::Ok()
                                .content_type("text/html; charset=utf-8")
                                .body(html)
                        }
                    }),
                )
                .route(
                    "/png",
                    web::get()
                        .to(|| async { HttpResponse::Ok().content_type("image/png").body("png") }),
                )
                .route(
                    "/tagged",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type("text/css")
                            .insert_header((header::ETAG, "\"abc\""))
                            .body("body { color: black }")
                    }),
                )
                .route(
                    "/done",
                    web::get().to(|| async { HttpResponse::NoContent().finish() }),
                )
                .route(
                    "/encoded",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type("text/plain")
                            .insert_header((header::CONTENT_ENCODING, "identity"))
                            .body("as stored")
                    }),
                ),
        )
        .await;
        let get = |path: &str, enc: Option<&str>| {
            let mut req = test::TestRequest::get().uri(path);
            if let Some(enc) = enc {
                req = req.insert_header((header::ACCEPT_ENCODING, enc));
            }
            req.to_request()
        };
        let res = test::call_service(&app, get("/page", Some("gzip, deflate, br, zstd"))).await;
        assert_eq!(res.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
        assert_eq!(res.headers().get(header::VARY).unwrap(), "accept-encoding");
        let body = test::read_body(res).await;
        assert!(body.len() < page.len() / 10, "compressed: {}", body.len());
        assert_eq!(gunzip(&[body]), page.as_bytes());
        // A strong validator of the plain bytes becomes weak for the compressed ones.
        let res = test::call_service(&app, get("/tagged", Some("gzip"))).await;
        assert_eq!(res.headers().get(header::ETAG).unwrap(), "W/\"abc\"");
        let res = test::call_service(&app, get("/tagged", None)).await;
        assert_eq!(res.headers().get(header::ETAG).unwrap(), "\"abc\"");
        // Not taken (or refused): as rendered.
        for enc in [None, Some("br"), Some("gzip;q=0")] {
            let res = test::call_service(&app, get("/page", enc)).await;
            assert!(
                res.headers().get(header::CONTENT_ENCODING).is_none(),
                "{enc:?}"
            );
            assert_eq!(test::read_body(res).await, page.as_bytes());
        }
        // Not text, no body, already encoded: untouched.
        for path in ["/png", "/done", "/encoded"] {
            let res = test::call_service(&app, get(path, Some("gzip"))).await;
            let enc = res.headers().get(header::CONTENT_ENCODING).cloned();
            assert!(enc.is_none_or(|e| e == "identity"), "{path}");
        }
    }

    #[test]
    fn a_large_piece_goes_in_slices_and_every_byte_once() {
        let big = Bytes::from(vec![7u8; SLICE * 2 + 3]);
        let mut body = Sliced::new(vec![Bytes::new(), big.clone(), Bytes::from_static(b"ab")]);
        assert_eq!(body.size(), BodySize::Sized((SLICE * 2 + 5) as u64));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut sizes = Vec::new();
        while let Poll::Ready(Some(Ok(b))) = Pin::new(&mut body).poll_next(&mut cx) {
            sizes.push(b.len());
        }
        assert_eq!(sizes, [SLICE, SLICE, 3, 2]);
    }
}
