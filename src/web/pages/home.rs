//! Public pages: home (the accessibility statement and privacy notice are in `site`); and the
//! health check.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::editions::Category;
use crate::services::editions as svc;
use crate::web::State;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::pages::editions::EditionView;
use crate::web::render::{Rendered, public_page};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    current: Option<EditionView>,
    categories: Vec<Category>,
}

pub async fn index(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let (current, categories) = match ctx.state.db.call(svc::home).await? {
        Some((e, cats)) => (Some(EditionView::new(e)), cats),
        None => (None, Vec::new()),
    };
    let p = HomePage {
        layout: ctx.layout(),
        current,
        categories,
    };
    public_page(&p, &p.layout)
}

/// Liveness: 200 `ok` while the process answers and its outbox worker is alive (a restart
/// would help otherwise). Does not touch the database. Plain text, no session.
pub async fn healthz(state: State) -> HttpResponse {
    probe_answer(if state.mail_health.alive() {
        Ok(())
    } else {
        Err("outbox worker not running".into())
    })
}

/// How long readiness waits for the database.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Readiness: 200 `ok` when the database answers within 2 s, its schema is at this program's
/// latest migration and the outbox worker is alive; 503 with the reason otherwise.
pub async fn readyz(state: State) -> HttpResponse {
    let db = state.db.clone();
    let checked = tokio::time::timeout(
        READY_WITHIN + std::time::Duration::from_millis(500),
        web::block(move || db.ready(READY_WITHIN)),
    )
    .await;
    let result = match checked {
        Ok(Ok(Ok(()))) if state.mail_health.alive() => Ok(()),
        Ok(Ok(Ok(()))) => Err("outbox worker not running".into()),
        Ok(Ok(Err(reason))) => Err(reason),
        Ok(Err(_)) | Err(_) => Err("database unavailable: no answer within 2 s".into()),
    };
    if let Err(reason) = &result {
        tracing::warn!(%reason, "not ready");
    }
    // The public answer names the kind of problem only (the part before a colon); hosts, ports
    // and database names after it stay in the log.
    probe_answer(result.map_err(|r| match r.split_once(':') {
        Some((kind, _)) => kind.to_string(),
        None => r,
    }))
}

fn probe_answer(result: Result<(), String>) -> HttpResponse {
    let mut res = match result {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(p) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body(p),
    };
    res.extensions_mut().insert(Rendered);
    res
}

/// The probes, outside the session.
pub fn healthz_route(cfg: &mut web::ServiceConfig) {
    cfg.route(crate::urls::pattern::healthz, web::get().to(healthz))
        .route(crate::urls::pattern::readyz, web::get().to(readyz));
}
