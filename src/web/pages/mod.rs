//! Page handlers, one module per area, and the route table.

pub mod account;
pub mod admin;
pub mod admin_editions;
pub mod admin_jury;
pub mod admin_results;
pub mod auth;
pub mod editions;
pub mod entries;
pub mod home;
pub mod institution;
pub mod jury;
pub mod results;
pub mod review;

use actix_web::web;
use serde::Deserialize;

/// Routes that use the session (everything but assets and the health check).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::index))
        .route("/accessibility", web::get().to(home::accessibility))
        .route("/privacy", web::get().to(home::privacy))
        .service(
            web::resource("/register")
                .get(auth::register_get)
                .post(auth::register_post),
        )
        .route("/register/sent", web::get().to(auth::register_sent))
        .service(
            web::resource("/verify")
                .get(auth::verify_get)
                .post(auth::verify_post),
        )
        .service(
            web::resource("/verify/resend")
                .get(auth::resend_get)
                .post(auth::resend_post),
        )
        .service(
            web::resource("/login")
                .get(auth::login_get)
                .post(auth::login_post),
        )
        .service(
            web::resource("/logout")
                .get(auth::logout_get)
                .post(auth::logout_post),
        )
        .service(
            web::resource("/password/forgot")
                .get(auth::forgot_get)
                .post(auth::forgot_post),
        )
        .service(
            web::resource("/password/reset")
                .get(auth::reset_get)
                .post(auth::reset_post),
        )
        .service(
            web::resource("/invite")
                .get(auth::invite_get)
                .post(auth::invite_post),
        )
        .service(
            web::resource("/setup")
                .get(auth::setup_get)
                .post(auth::setup_post),
        )
        .route("/account", web::get().to(account::dashboard))
        .service(
            web::resource("/account/settings")
                .get(account::settings_get)
                .post(account::settings_post),
        )
        .service(
            web::resource("/account/password")
                .get(account::password_get)
                .post(account::password_post),
        )
        .service(
            web::resource("/institution")
                .get(institution::profile_get)
                .post(institution::profile_post),
        )
        .service(
            web::resource("/institution/members")
                .get(institution::members_get)
                .post(institution::invite_post),
        )
        .route("/admin/users", web::get().to(admin::users))
        .route(
            "/admin/users/{id}/disable",
            web::post().to(admin::disable_user),
        )
        .route(
            "/admin/users/{id}/enable",
            web::post().to(admin::enable_user),
        )
        .route("/admin/outbox", web::get().to(admin::outbox))
        .route("/admin/outbox/{id}", web::get().to(admin::outbox_message))
        .route(
            "/admin/outbox/{id}/retry",
            web::post().to(admin::outbox_retry),
        )
        .route("/admin/audit", web::get().to(admin::audit))
        // Editions: public pages and the organisers' set-up.
        .route("/editions", web::get().to(editions::list))
        .route("/editions/{slug}", web::get().to(editions::show))
        .route("/admin/editions", web::get().to(admin_editions::list))
        .service(
            web::resource("/admin/editions/new")
                .get(admin_editions::new_get)
                .post(admin_editions::new_post),
        )
        .service(
            web::resource("/admin/editions/{id}")
                .get(admin_editions::show)
                .post(admin_editions::update),
        )
        .route(
            "/admin/editions/{id}/state",
            web::post().to(admin_editions::change_state),
        )
        .service(
            web::resource("/admin/editions/{id}/categories/new")
                .get(admin_editions::category_new)
                .post(admin_editions::category_create),
        )
        .service(
            web::resource("/admin/categories/{id}")
                .get(admin_editions::category_edit)
                .post(admin_editions::category_update),
        )
        .route(
            "/admin/categories/{id}/delete",
            web::post().to(admin_editions::category_delete),
        )
        .service(
            web::resource("/admin/editions/{id}/criteria/new")
                .get(admin_editions::criterion_new)
                .post(admin_editions::criterion_create),
        )
        .service(
            web::resource("/admin/criteria/{id}")
                .get(admin_editions::criterion_edit)
                .post(admin_editions::criterion_update),
        )
        .route(
            "/admin/criteria/{id}/delete",
            web::post().to(admin_editions::criterion_delete),
        )
        // Entries: applicants, and the organisers' formal check.
        .service(
            web::resource("/entries/new")
                .get(entries::new_get)
                .post(entries::new_post),
        )
        .route("/entries/{id}", web::get().to(entries::show))
        .service(
            web::resource("/entries/{id}/edit")
                .get(entries::edit_get)
                .post(entries::edit_post),
        )
        .route("/entries/{id}/withdraw", web::post().to(entries::withdraw))
        .route("/entries/{id}/print", web::get().to(entries::print))
        .route("/entries/{id}/attachments", web::post().to(entries::upload))
        .route(
            "/entries/{id}/attachments/{aid}",
            web::get().to(entries::download),
        )
        .route(
            "/entries/{id}/attachments/{aid}/delete",
            web::post().to(entries::remove_attachment),
        )
        .route("/admin/editions/{id}/entries", web::get().to(review::list))
        .route(
            "/admin/editions/{id}/entries.csv",
            web::get().to(review::csv),
        )
        .route("/admin/entries/{id}", web::get().to(review::show))
        .route(
            "/admin/entries/{id}/decision",
            web::post().to(review::decide),
        )
        // The jury.
        .route("/jury", web::get().to(jury::dashboard))
        .service(
            web::resource("/jury/invite")
                .get(jury::invite_get)
                .post(jury::invite_post),
        )
        .route(
            "/jury/editions/{id}/declaration",
            web::post().to(jury::declare),
        )
        .route(
            "/jury/editions/{id}/conflicts",
            web::post().to(jury::declare_conflict),
        )
        .service(
            web::resource("/jury/entries/{id}")
                .get(jury::entry)
                .post(jury::score),
        )
        .route("/admin/editions/{id}/jury", web::get().to(admin_jury::show))
        .route(
            "/admin/editions/{id}/jury/settings",
            web::post().to(admin_jury::save_settings),
        )
        .route(
            "/admin/editions/{id}/jury/invite",
            web::post().to(admin_jury::invite),
        )
        .route(
            "/admin/editions/{id}/jury/{juror}",
            web::get().to(admin_jury::juror),
        )
        .route(
            "/admin/editions/{id}/jury/{juror}/categories",
            web::post().to(admin_jury::set_categories),
        )
        .route(
            "/admin/editions/{id}/jury/{juror}/reinvite",
            web::post().to(admin_jury::reinvite),
        )
        .route(
            "/admin/editions/{id}/jury/{juror}/assignment",
            web::post().to(admin_jury::assignment),
        )
        .route(
            "/admin/editions/{id}/jury/{juror}/reopen",
            web::post().to(admin_jury::reopen),
        )
        .route(
            "/admin/editions/{id}/conflicts",
            web::post().to(admin_jury::add_conflict),
        )
        .route(
            "/admin/conflicts/{id}/delete",
            web::post().to(admin_jury::remove_conflict),
        )
        .route(
            "/admin/editions/{id}/remind",
            web::post().to(admin_jury::remind),
        )
        // Ranking, awards, protocol, results.
        .route(
            "/admin/editions/{id}/ranking",
            web::get().to(admin_results::ranking),
        )
        .route(
            "/admin/editions/{id}/awards/{category}",
            web::post().to(admin_results::save_awards),
        )
        .route(
            "/admin/editions/{id}/protocol",
            web::get().to(admin_results::protocol),
        )
        .route(
            "/admin/editions/{id}/protocol/finalise",
            web::post().to(admin_results::finalise),
        )
        .route(
            "/admin/editions/{id}/scores.csv",
            web::get().to(admin_results::scores_csv),
        )
        .service(
            web::resource("/admin/editions/{id}/announce")
                .get(admin_results::announce_get)
                .post(admin_results::announce_post),
        )
        .route("/editions/{slug}/results", web::get().to(results::show))
        .route("/editions/{slug}/results.csv", web::get().to(results::csv))
        .route(
            "/editions/{slug}/results.json",
            web::get().to(results::json),
        );
}

/// Query parameters pages accept; unknown ones are ignored, bad values never fail the request.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct Params {
    pub token: String,
    pub next: String,
    pub page: String,
    pub q: String,
    pub role: String,
    pub status: String,
    pub action: String,
    pub bye: String,
    pub object: String,
    pub id: String,
}

impl Params {
    /// 1-based page number from `?page=`, clamped to something sensible.
    pub fn page_number(&self) -> i64 {
        self.page
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }
}

/// Parses the query string leniently: a malformed one is treated as empty.
pub fn params(req: &actix_web::HttpRequest) -> Params {
    serde_html_form::from_str(req.query_string()).unwrap_or_default()
}

/// An `<option>` of a select, with the selection worked out in Rust.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn options<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    selected: &str,
) -> Vec<SelectOption> {
    pairs
        .into_iter()
        .map(|(value, label)| SelectOption {
            value: value.to_string(),
            label: label.to_string(),
            selected: value == selected,
        })
        .collect()
}

/// Pagination state shown under a list.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The list's query string without `page=`, to build the links.
    pub base: String,
}

impl Pager {
    pub const PER_PAGE: i64 = 50;

    pub fn new(page: i64, total: i64, base: String) -> Pager {
        let pages = ((total + Self::PER_PAGE - 1) / Self::PER_PAGE).max(1);
        Pager {
            page: page.min(pages),
            pages,
            total,
            base,
        }
    }

    pub fn offset(page: i64) -> i64 {
        (page - 1) * Self::PER_PAGE
    }

    /// "Strona 2 z 5" / "Page 2 of 5".
    pub fn label(&self, lang: &crate::i18n::Lang) -> String {
        lang.tf(
            "pager.position",
            &[("page", &self.page), ("pages", &self.pages)],
        )
    }

    pub fn href(&self, page: i64) -> String {
        if self.base.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{}&page={page}", self.base)
        }
    }
}
