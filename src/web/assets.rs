//! Static assets, embedded in the binary and served with long cache lifetimes. Their URLs
//! carry a content hash (`?v=`), so a new release is fetched at once.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    body: &'static [u8],
    content_type: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        body: include_bytes!("../../assets/style.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        name: "print.css",
        body: include_bytes!("../../assets/print.css"),
        content_type: "text/css; charset=utf-8",
    },
    Asset {
        name: "favicon.svg",
        body: include_bytes!("../../assets/favicon.svg"),
        content_type: "image/svg+xml",
    },
    Asset {
        name: "app.js",
        body: include_bytes!("../../assets/app.js"),
        content_type: "text/javascript; charset=utf-8",
    },
];

fn versions() -> &'static HashMap<&'static str, String> {
    static V: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    V.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                (
                    a.name,
                    crate::domain::token::hex(&Sha256::digest(a.body)[..6]),
                )
            })
            .collect()
    })
}

pub fn url(name: &str) -> String {
    match versions().get(name) {
        Some(v) => format!("/assets/{name}?v={v}"),
        None => format!("/assets/{name}"),
    }
}

pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = ASSETS.iter().find(|a| a.name == name.as_str()) else {
        return HttpResponse::NotFound()
            .content_type("text/plain")
            .body("not found");
    };
    let etag = format!("\"{}\"", versions()[asset.name]);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        // Weak comparison (RFC 9110 §13.1.2): the tag comes back weak from a compressed copy.
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == etag)
        });
    let mut res = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::ETAG, etag));
    if fresh {
        res.finish()
    } else {
        res.content_type(asset.content_type).body(asset.body)
    }
}
