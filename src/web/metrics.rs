//! `/metrics` in the Prometheus text format, on an address of its own (`KONKURS_METRICS_BIND`),
//! never on the public port.
//!
//! Each app has its own `Registry` (not the crate's global one): the integration tests run many
//! apps in one process, and each must count only its own requests.

use std::time::Instant;

use actix_web::HttpMessage as _;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use crate::db::outbox;
use crate::web::AppState;

/// The label of a request that matched no route: the raw path would let anyone create any
/// number of series.
pub const UNMATCHED: &str = "unmatched";

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    logins_throttled: IntCounter,
    outbox_queued: IntGauge,
    outbox_failed: IntGauge,
    outbox_oldest_age: IntGauge,
    pool_in_use: IntGauge,
    pool_idle: IntGauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// # Panics
    /// Never in practice: the names below are fixed and valid, and registered once each.
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let labels = &["route", "method", "status"];
        let requests = IntCounterVec::new(
            Opts::new(
                "konkurs_http_requests_total",
                "HTTP requests answered, by route pattern, method and status",
            ),
            labels,
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "konkurs_http_request_duration_seconds",
                "Time to answer an HTTP request, by route pattern, method and status",
            ),
            labels,
        )
        .expect("valid metric");
        let gauge = |name: &str, help: &str| IntGauge::new(name, help).expect("valid metric");
        let m = Metrics {
            logins_throttled: IntCounter::new(
                "konkurs_logins_throttled_total",
                "Login attempts refused because of too many failures",
            )
            .expect("valid metric"),
            outbox_queued: gauge("konkurs_outbox_queued", "Messages waiting to be sent"),
            outbox_failed: gauge(
                "konkurs_outbox_failed",
                "Messages given up after the last attempt",
            ),
            outbox_oldest_age: gauge(
                "konkurs_outbox_oldest_queued_age_seconds",
                "Age of the oldest message still waiting to be sent (0 when none)",
            ),
            pool_in_use: gauge(
                "konkurs_db_pool_connections_in_use",
                "Database connections of this instance in use",
            ),
            pool_idle: gauge(
                "konkurs_db_pool_connections_idle",
                "Database connections of this instance open and idle",
            ),
            registry,
            requests,
            latency,
        };
        for c in [
            Box::new(m.requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(m.latency.clone()),
            Box::new(m.logins_throttled.clone()),
            Box::new(m.outbox_queued.clone()),
            Box::new(m.outbox_failed.clone()),
            Box::new(m.outbox_oldest_age.clone()),
            Box::new(m.pool_in_use.clone()),
            Box::new(m.pool_idle.clone()),
        ] {
            m.registry.register(c).expect("each metric registered once");
        }
        m
    }

    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [route, method, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    pub fn login_throttled(&self) {
        self.logins_throttled.inc();
    }

    /// Sets the gauges read at scrape time and renders everything in the text format.
    pub fn render(
        &self,
        backlog: outbox::Backlog,
        now: chrono::NaiveDateTime,
        pool: (u32, u32),
    ) -> String {
        self.outbox_queued.set(backlog.queued);
        self.outbox_failed.set(backlog.failed);
        self.outbox_oldest_age.set(
            backlog
                .oldest_queued
                .map_or(0, |t| (now - t).num_seconds().max(0)),
        );
        self.pool_in_use.set(pool.0.into());
        self.pool_idle.set(pool.1.into());
        let mut out = Vec::new();
        // Text encoding of well-formed families into a Vec cannot fail.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Middleware (outermost on the public app): counts each request by its route pattern, method
/// and final status, and times it.
/// The route pattern of a request answered without routing (a page kept in memory), so the
/// metrics need not match the path against every route again.
#[derive(Clone)]
pub struct RouteLabel(pub std::sync::Arc<str>);

pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    // Only the usual methods by name: any other word would be a new series.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let result = next.call(req).await;
    if let Some(state) = state {
        let (route, status) = match &result {
            Ok(res) => (
                res.request()
                    .extensions()
                    .get::<RouteLabel>()
                    .map(|r| r.0.to_string())
                    .or_else(|| res.request().match_pattern()),
                res.response().status().as_u16(),
            ),
            Err(e) => (None, e.as_response_error().status_code().as_u16()),
        };
        let route = route
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| UNMATCHED.to_string());
        state
            .metrics
            .observe(&route, method, status, started.elapsed().as_secs_f64());
    }
    result
}

/// `GET /metrics` on the metrics address.
pub async fn scrape(state: web::Data<AppState>) -> HttpResponse {
    let backlog = match state.db.run(|c| Ok(outbox::backlog(c)?)).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the outbox could not be read");
            return HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body(format!("database unavailable: {e}"));
        }
    };
    let body = state
        .metrics
        .render(backlog, state.now(), state.db.pool_use());
    HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(body)
}

/// The metrics app: `/metrics` and nothing else.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(scrape));
}
