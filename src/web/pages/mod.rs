//! Page handlers, one module per area, and the route table.

pub mod account;
pub mod admin;
pub mod admin_charts;
pub mod admin_editions;
pub mod admin_jury;
pub mod admin_results;
pub mod auth;
pub mod confirm;
pub mod downloads;
pub mod editions;
pub mod entries;
pub mod home;
pub mod institution;
pub mod jury;
pub mod publication;
pub mod results;
pub mod review;
pub mod rodo;
pub mod site;
pub mod two_factor;

use actix_web::web;

use crate::domain::paging::{PageRequest, Paging};
use crate::urls::pattern;
use serde::Deserialize;

/// Routes that use the session (everything but assets and the health check).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(pattern::home, web::get().to(home::index))
        .route(pattern::accessibility, web::get().to(site::accessibility))
        .route(pattern::privacy, web::get().to(site::privacy))
        .service(
            web::resource(pattern::register)
                .get(auth::register_get)
                .post(auth::register_post),
        )
        .route(pattern::register_sent, web::get().to(auth::register_sent))
        .service(
            web::resource(pattern::verify)
                .get(auth::verify_get)
                .post(auth::verify_post),
        )
        .service(
            web::resource(pattern::verify_resend)
                .get(auth::resend_get)
                .post(auth::resend_post),
        )
        .service(
            web::resource(pattern::login)
                .get(auth::login_get)
                .post(auth::login_post),
        )
        .service(
            web::resource(pattern::login_code)
                .get(auth::code_get)
                .post(auth::code_post),
        )
        .service(
            web::resource(pattern::logout)
                .get(auth::logout_get)
                .post(auth::logout_post),
        )
        .service(
            web::resource(pattern::password_forgot)
                .get(auth::forgot_get)
                .post(auth::forgot_post),
        )
        .service(
            web::resource(pattern::password_reset)
                .get(auth::reset_get)
                .post(auth::reset_post),
        )
        .service(
            web::resource(pattern::invite)
                .get(auth::invite_get)
                .post(auth::invite_post),
        )
        .service(
            web::resource(pattern::setup)
                .get(auth::setup_get)
                .post(auth::setup_post),
        )
        .route(pattern::account, web::get().to(account::dashboard))
        .service(
            web::resource(pattern::account_settings)
                .get(account::settings_get)
                .post(account::settings_post),
        )
        .route(pattern::account_data, web::get().to(rodo::account_data))
        .service(
            web::resource(pattern::privacy_acknowledge)
                .get(rodo::acknowledge_get)
                .post(rodo::acknowledge_post),
        )
        .service(
            web::resource(pattern::admin_user_anonymise)
                .get(rodo::user_get)
                .post(rodo::user_post),
        )
        .service(
            web::resource(pattern::admin_institution_anonymise)
                .get(rodo::institution_get)
                .post(rodo::institution_post),
        )
        .service(
            web::resource(pattern::account_password)
                .get(account::password_get)
                .post(account::password_post),
        )
        .service(
            web::resource(pattern::account_two_factor)
                .get(two_factor::get)
                .post(two_factor::enable_post),
        )
        .route(
            pattern::account_two_factor_disable,
            web::post().to(two_factor::disable_post),
        )
        .service(
            web::resource(pattern::account_two_factor_codes)
                .get(two_factor::codes_get)
                .post(two_factor::codes_post),
        )
        .service(
            web::resource(pattern::institution)
                .get(institution::profile_get)
                .post(institution::profile_post),
        )
        .service(
            web::resource(pattern::institution_members)
                .get(institution::members_get)
                .post(institution::invite_post),
        )
        .route(pattern::admin_users, web::get().to(admin::users))
        .service(
            web::resource(pattern::admin_user_disable)
                .get(admin::disable_user_get)
                .post(admin::disable_user),
        )
        .route(
            pattern::admin_user_enable,
            web::post().to(admin::enable_user),
        )
        .service(
            web::resource(pattern::admin_user_two_factor_reset)
                .get(admin::two_factor_reset_get)
                .post(admin::two_factor_reset),
        )
        .service(
            web::resource(pattern::admin_two_factor_policy)
                .get(admin::two_factor_policy_get)
                .post(admin::two_factor_policy),
        )
        .route(pattern::admin_outbox, web::get().to(admin::outbox))
        .route(
            pattern::admin_outbox_message,
            web::get().to(admin::outbox_message),
        )
        .route(
            pattern::admin_outbox_retry,
            web::post().to(admin::outbox_retry),
        )
        .route(pattern::admin_audit, web::get().to(admin::audit))
        .route(pattern::admin_site, web::get().to(site::settings_get))
        .route(pattern::admin_site, web::post().to(site::settings_post))
        // Editions: public pages and the organisers' set-up.
        .route(pattern::editions, web::get().to(editions::list))
        .route(pattern::edition, web::get().to(editions::show))
        .route(pattern::admin_editions, web::get().to(admin_editions::list))
        .service(
            web::resource(pattern::admin_edition_new)
                .get(admin_editions::new_get)
                .post(admin_editions::new_post),
        )
        .service(
            web::resource(pattern::admin_edition)
                .get(admin_editions::show)
                .post(admin_editions::update),
        )
        .service(
            web::resource(pattern::admin_edition_state)
                .get(admin_editions::state_get)
                .post(admin_editions::change_state),
        )
        .service(
            web::resource(pattern::admin_category_new)
                .get(admin_editions::part_new::<admin_editions::CategoryForm>)
                .post(admin_editions::part_create::<admin_editions::CategoryForm>),
        )
        .service(
            web::resource(pattern::admin_category)
                .get(admin_editions::part_edit::<admin_editions::CategoryForm>)
                .post(admin_editions::part_update::<admin_editions::CategoryForm>),
        )
        .route(
            pattern::admin_category_delete,
            web::post().to(admin_editions::part_delete::<admin_editions::CategoryForm>),
        )
        .service(
            web::resource(pattern::admin_criterion_new)
                .get(admin_editions::part_new::<admin_editions::CriterionForm>)
                .post(admin_editions::part_create::<admin_editions::CriterionForm>),
        )
        .service(
            web::resource(pattern::admin_criterion)
                .get(admin_editions::part_edit::<admin_editions::CriterionForm>)
                .post(admin_editions::part_update::<admin_editions::CriterionForm>),
        )
        .route(
            pattern::admin_criterion_delete,
            web::post().to(admin_editions::part_delete::<admin_editions::CriterionForm>),
        )
        // Entries: applicants, and the organisers' formal check.
        .service(
            web::resource(pattern::entry_new)
                .get(entries::new_get)
                .post(entries::new_post),
        )
        .route(pattern::entry, web::get().to(entries::show))
        .service(
            web::resource(pattern::entry_edit)
                .get(entries::edit_get)
                .post(entries::edit_post),
        )
        .service(
            web::resource(pattern::entry_submit)
                .get(entries::confirm_get)
                .post(entries::confirm_post),
        )
        .service(
            web::resource(pattern::entry_withdraw)
                .get(entries::withdraw_get)
                .post(entries::withdraw),
        )
        .route(pattern::entry_print, web::get().to(entries::print))
        .route(pattern::entry_attachments, web::post().to(entries::upload))
        .route(pattern::entry_attachment, web::get().to(entries::download))
        .route(
            pattern::entry_attachments_zip,
            web::get().to(downloads::entry),
        )
        .route(
            pattern::category_attachments_zip,
            web::get().to(downloads::category),
        )
        .route(pattern::account_mail, web::post().to(account::mail_post))
        .route(
            pattern::entry_attachment_delete,
            web::post().to(entries::remove_attachment),
        )
        .route(pattern::admin_entries, web::get().to(review::list))
        .route(pattern::admin_entries_csv, web::get().to(review::csv))
        .service(
            web::resource(pattern::admin_entries_accept)
                .get(review::bulk_accept_get)
                .post(review::bulk_accept_post),
        )
        .route(
            pattern::admin_entries_accepted,
            web::get().to(review::bulk_accepted),
        )
        .route(pattern::admin_entry, web::get().to(review::show))
        .route(
            pattern::admin_entry_decision,
            web::post().to(review::decide),
        )
        // The jury.
        .route(pattern::jury, web::get().to(jury::dashboard))
        .service(
            web::resource(pattern::jury_invite)
                .get(jury::invite_get)
                .post(jury::invite_post),
        )
        .route(pattern::jury_declaration, web::post().to(jury::declare))
        .route(
            pattern::jury_conflicts,
            web::post().to(jury::declare_conflict),
        )
        .service(
            web::resource(pattern::jury_entry)
                .get(jury::entry)
                .post(jury::score),
        )
        .service(
            web::resource(pattern::jury_entry_submit)
                .get(jury::confirm_score_get)
                .post(jury::confirm_score_post),
        )
        .route(pattern::admin_jury, web::get().to(admin_jury::show))
        .route(
            pattern::admin_jury_settings,
            web::post().to(admin_jury::save_settings),
        )
        .route(
            pattern::admin_jury_invite,
            web::post().to(admin_jury::invite),
        )
        .route(pattern::admin_juror, web::get().to(admin_jury::juror))
        .route(
            pattern::admin_juror_categories,
            web::post().to(admin_jury::set_categories),
        )
        .route(
            pattern::admin_juror_reinvite,
            web::post().to(admin_jury::reinvite),
        )
        .route(
            pattern::admin_juror_assignment,
            web::post().to(admin_jury::assignment),
        )
        .route(
            pattern::admin_juror_reopen,
            web::post().to(admin_jury::reopen),
        )
        .route(
            pattern::admin_conflicts,
            web::post().to(admin_jury::add_conflict),
        )
        .route(
            pattern::admin_conflict_delete,
            web::post().to(admin_jury::remove_conflict),
        )
        .service(
            web::resource(pattern::admin_remind)
                .get(admin_jury::remind_get)
                .post(admin_jury::remind),
        )
        // Ranking, awards, protocol, results.
        .route(
            pattern::admin_ranking,
            web::get().to(admin_results::ranking),
        )
        .route(
            pattern::admin_awards,
            web::post().to(admin_results::save_awards),
        )
        .route(
            pattern::admin_protocol,
            web::get().to(admin_results::protocol),
        )
        .service(
            web::resource(pattern::admin_protocol_finalise)
                .get(admin_results::finalise_get)
                .post(admin_results::finalise),
        )
        .route(
            pattern::admin_scores_csv,
            web::get().to(admin_results::scores_csv),
        )
        .service(
            web::resource(pattern::admin_announce)
                .get(admin_results::announce_get)
                .post(admin_results::announce_post),
        )
        .route(
            pattern::admin_announce_confirm,
            web::get().to(admin_results::announce_confirm),
        )
        .route(
            pattern::admin_announce_progress,
            web::get().to(admin_results::announce_progress),
        )
        .service(
            web::resource(pattern::admin_publication)
                .get(publication::show)
                .post(publication::schedule),
        )
        .route(
            pattern::admin_publication_cancel,
            web::post().to(publication::cancel),
        )
        .route(pattern::results, web::get().to(results::show))
        .route(pattern::results_csv, web::get().to(results::csv))
        .route(pattern::results_json, web::get().to(results::json));
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
    pub to: String,
}

impl Params {
    /// The page asked for by `?page=`, in pages of `size` rows; garbage means the first page.
    pub fn page_request(&self, size: i64) -> PageRequest {
        PageRequest::parse(&self.page, size)
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

/// Pagination of a list as its page shows it: the counts above the table, the navigation
/// under it (templates/pager.html). Links keep every other query parameter of the list.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    paging: Paging,
    /// The list's query string without `page=`, to build the links.
    base: String,
}

/// One item of the page navigation: a page number with its link, or a gap (`number` None).
pub struct PageLink {
    pub number: Option<i64>,
    pub href: String,
    pub current: bool,
}

impl Pager {
    /// `query` is the request's query string: its parameters other than `page` (and empty
    /// ones) are kept in the links, so filters, search and sort survive paging.
    pub fn new(paging: Paging, query: &str) -> Pager {
        let pairs: Vec<(String, String)> = serde_html_form::from_str(query).unwrap_or_default();
        let base = pairs
            .iter()
            .filter(|(k, v)| k != "page" && !v.is_empty())
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    crate::urls::encode_query_value(k),
                    crate::urls::encode_query_value(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        Pager {
            page: paging.page,
            pages: paging.pages,
            total: paging.total,
            paging,
            base,
        }
    }

    pub fn href(&self, page: i64) -> String {
        if self.base.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{}&page={page}", self.base)
        }
    }

    /// The page numbers to offer: the first, the last and the neighbours of the current one.
    pub fn links(&self) -> Vec<PageLink> {
        self.paging
            .window()
            .into_iter()
            .map(|n| PageLink {
                number: n,
                href: n.map(|n| self.href(n)).unwrap_or_default(),
                current: n == Some(self.page),
            })
            .collect()
    }

    /// "Pozycje 201–400 z 1234" when the list has several pages, else "1234 wyniki".
    pub fn summary(&self, lang: &crate::i18n::Lang) -> String {
        let (first, last) = (self.paging.first_row(), self.paging.last_row());
        if self.pages <= 1 {
            lang.tn("list.count", self.total)
        } else if first == last {
            lang.tf("list.range_one", &[("n", &first), ("total", &self.total)])
        } else {
            lang.tf(
                "list.range",
                &[("first", &first), ("last", &last), ("total", &self.total)],
            )
        }
    }
}
