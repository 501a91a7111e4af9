//! The request context every page handler starts from: language, session, logged-in user, and
//! the shared layout values (navigation, CSRF token, flash message) that every page renders.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::NaiveDateTime;
use futures_util::future::LocalBoxFuture;

use crate::domain::roles::Role;
use crate::domain::time;
use crate::i18n::Lang;
use crate::urls;
use crate::web::error::AppError;
use crate::web::session_store::LoadedUser;
use crate::web::{AppState, State, assets, csrf};

/// The logged-in user, loaded once per request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub institution_id: Option<i32>,
    pub lang: Lang,
    /// The version of the privacy notice the user has yet to acknowledge, if any.
    pub privacy_pending: Option<i32>,
}

impl CurrentUser {
    /// `None` for a disabled account (or a role this program does not know).
    fn from_loaded(u: LoadedUser) -> Option<CurrentUser> {
        if u.disabled {
            return None;
        }
        Some(CurrentUser {
            id: u.id,
            role: Role::parse(&u.role)?,
            lang: Lang::from_code(&u.lang).unwrap_or_default(),
            email: u.email,
            name: u.name,
            institution_id: u.institution_id,
            privacy_pending: u.privacy_pending,
        })
    }

    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
}

/// Session keys.
pub const SESSION_UID: &str = "uid";
const SESSION_SEEN: &str = "seen";
const SESSION_FLASH: &str = "flash";
/// Extend the session's life at most this often (minutes), so a busy user costs one write per period.
const TOUCH_EVERY_MIN: i64 = 5;

#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    pub session: Session,
    pub state: State,
    /// Path and query of this request, for the language switch and `next` after login.
    pub path: String,
    pub query: String,
    /// The site requires a second factor of this account and it has none yet: every page that
    /// needs a signed-in user sends it to the set-up page instead (see [`Ctx::require_user`]).
    pub two_factor_due: bool,
    /// The signed-in pages' version read with the session (0 without one): a page kept for
    /// this user at another version is stale (`web::personal_cache`).
    pub list_version: i64,
    /// For a form sent (not a GET): the page it was sent from (path and query, from this
    /// site's `Referer`), where the language switch of a page shown in answer leads — the
    /// address the form posted to may answer only POST.
    pub form_page: Option<String>,
}

/// The language chosen for this request (set by the `lang` middleware): `lang` from `?lang=`,
/// the cookie or the default; `from_query` when this request names one.
#[derive(Clone, Copy, Debug)]
pub struct RequestLang {
    pub lang: Lang,
    pub from_query: Option<Lang>,
}

/// The language a user chose with the switch during this signed-in session.
const SESSION_LANG: &str = "lang";

/// The language of a signed-in user's pages: one named in this request (`?lang=`, the switch),
/// else one chosen with the switch earlier in this session, else the account's language. The
/// browser's language cookie does not count for them: it may be someone else's choice on a
/// shared computer, and signing in starts a new session, so the account's language applies
/// until the user switches.
pub fn user_lang(from_query: Option<Lang>, in_session: Option<Lang>, account: Lang) -> Lang {
    from_query.or(in_session).unwrap_or(account)
}

impl Ctx {
    pub async fn load(req: &HttpRequest) -> Result<Ctx, AppError> {
        if let Some(ctx) = req.extensions().get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| AppError::internal("application state missing"))?;
        let (mut lang, from_query) = req
            .extensions()
            .get::<RequestLang>()
            .map(|l| (l.lang, l.from_query))
            .unwrap_or_default();
        let session = req.get_session();
        let uid: Option<i32> = session.get(SESSION_UID).ok().flatten();
        let mut user = None;
        let mut two_factor_due = false;
        let mut list_version = 0;
        if let Some(uid) = uid {
            // Loaded with the session in one query (`session_store`): a session whose user is
            // gone or disabled ends here. A GET changes nothing stored: the language of a
            // user's emails is set on their settings page (a POST), not by `?lang=`.
            let loaded = crate::web::session_store::loaded_user(&session).filter(|u| u.id == uid);
            two_factor_due = loaded.as_ref().is_some_and(|u| u.two_factor_due);
            list_version = loaded.as_ref().map_or(0, |u| u.list_version);
            match loaded.and_then(CurrentUser::from_loaded) {
                Some(u) => user = Some(u),
                None => session.purge(),
            }
        }
        if let Some(u) = &user {
            let in_session = session
                .get::<String>(SESSION_LANG)
                .ok()
                .flatten()
                .and_then(|c| Lang::from_code(&c));
            if let Some(q) = from_query
                && in_session != Some(q)
            {
                let _ = session.insert(SESSION_LANG, q.code());
            }
            lang = user_lang(from_query, in_session, u.lang);
        }
        if !session.entries().is_empty() {
            touch(&session, state.now());
        }
        // (Read with the session: `LoadedUser::two_factor_due`.)
        let two_factor_due = two_factor_due && user.is_some();
        let form_page = (req.method() != actix_web::http::Method::GET
            && req.method() != actix_web::http::Method::HEAD)
            .then(|| same_site_referer(req, &state.config.base_url))
            .flatten();
        let ctx = Ctx {
            two_factor_due,
            list_version,
            form_page,
            lang,
            user,
            session,
            state,
            path: req.path().to_string(),
            query: req.query_string().to_string(),
        };
        req.extensions_mut().insert(ctx.clone());
        Ok(ctx)
    }

    /// For error pages: never fails; without the database it shows an anonymous layout.
    pub async fn load_for_error(req: &HttpRequest) -> Ctx {
        match Ctx::load(req).await {
            Ok(ctx) => ctx,
            Err(e) => {
                tracing::warn!(error = %crate::web::error::chain(&e), "error page without the session's user");
                let lang = req
                    .extensions()
                    .get::<RequestLang>()
                    .map(|l| l.lang)
                    .unwrap_or_default();
                let state = req.app_data::<web::Data<AppState>>().cloned();
                Ctx {
                    lang,
                    user: None,
                    session: req.get_session(),
                    state: state.expect("the application state is always registered"),
                    path: req.path().to_string(),
                    query: String::new(),
                    two_factor_due: false,
                    list_version: 0,
                    form_page: None,
                }
            }
        }
    }

    /// The current time by this app's clock (which tests can move).
    pub fn now(&self) -> NaiveDateTime {
        self.state.now()
    }

    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The logged-in user, or a redirect to the login page that comes back here; an account
    /// that must still set up its second factor is sent to that page.
    pub fn require_user(&self) -> Result<&CurrentUser, AppError> {
        let u = self.require_signed_in()?;
        if self.two_factor_due {
            return Err(AppError::TwoFactorSetup);
        }
        Ok(u)
    }

    /// The logged-in user even before a required second factor is set up: only for the pages
    /// of that set-up.
    pub fn require_signed_in(&self) -> Result<&CurrentUser, AppError> {
        self.user
            .as_ref()
            .ok_or_else(|| AppError::LoginRequired(self.path_and_query()))
    }

    /// The logged-in user with this role; any other role gets 403.
    pub fn require_role(&self, role: Role) -> Result<&CurrentUser, AppError> {
        let u = self.require_user()?;
        if u.role == role {
            Ok(u)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// A one-time message waits to be shown on this page.
    pub fn has_flash(&self) -> bool {
        self.session.contains_key(SESSION_FLASH)
    }

    /// A one-time message shown on the next page.
    pub fn flash(&self, key: &'static str) {
        let _ = self.session.insert(SESSION_FLASH, key);
    }

    /// Logs a user in: a new session id (no fixation), a new CSRF token.
    pub fn login(&self, user_id: i32) {
        self.session.renew();
        self.session.clear();
        let _ = self.session.insert(SESSION_UID, user_id);
        csrf::rotate(&self.session);
        touch(&self.session, self.now());
    }

    /// Forgets the language chosen with the switch in this session, so the account's (just
    /// changed) language applies.
    pub fn forget_lang_choice(&self) {
        if self.session.contains_key(SESSION_LANG) {
            self.session.remove(SESSION_LANG);
        }
    }

    pub fn logout(&self) {
        self.session.purge();
    }

    pub fn layout(&self) -> Layout {
        // `remove` marks the session changed even for a missing key: look first.
        let flash = self
            .session
            .contains_key(SESSION_FLASH)
            .then(|| self.session.remove_as::<String>(SESSION_FLASH))
            .flatten()
            .and_then(std::result::Result::ok)
            .filter(|k| Lang::has(k))
            .map(|k| self.lang.t(&k));
        Layout {
            lang: self.lang,
            nav: nav_for(self.user.as_ref(), &self.path),
            user: self.user.clone(),
            switch_href: match self
                .form_page
                .as_deref()
                .map(|p| p.split_once('?').unwrap_or((p, "")))
            {
                Some((path, query)) => switch_href(path, query, self.lang.other()),
                None => switch_href(&self.path, &self.query, self.lang.other()),
            },
            session: self.session.clone(),
            flash,
            has_errors: false,
            now: self.now(),
            changes_at: std::cell::Cell::new(None),
        }
    }
}

/// The path and query of this request's `Referer` when it is a page of this site.
fn same_site_referer(req: &HttpRequest, base_url: &str) -> Option<String> {
    let referer = req
        .headers()
        .get(actix_web::http::header::REFERER)?
        .to_str()
        .ok()?;
    let base = base_url.trim_end_matches('/');
    let rest = referer.strip_prefix(base).or_else(|| {
        // Behind a proxy the configured address may differ from the one the browser used:
        // the same host as this request's is this site too.
        let host = req.connection_info().host().to_string();
        referer
            .strip_prefix("https://")
            .or_else(|| referer.strip_prefix("http://"))?
            .strip_prefix(host.as_str())
    })?;
    (rest.starts_with('/') && !rest.starts_with("//")).then(|| {
        let rest = rest.split('#').next().unwrap_or(rest);
        rest.to_string()
    })
}

fn touch(session: &Session, now: NaiveDateTime) {
    let now_min = now.and_utc().timestamp() / 60;
    let seen: Option<i64> = session.get(SESSION_SEEN).ok().flatten();
    if seen.is_none_or(|s| now_min - s >= TOUCH_EVERY_MIN || s > now_min) {
        let _ = session.insert(SESSION_SEEN, now_min);
    }
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Ctx, AppError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let ctx = Ctx::load(&req).await?;
            if let Err(AppError::PrivacyPending(next)) = ctx.privacy_gate() {
                // A form sent meanwhile is not repeated: after the acknowledgement the user
                // goes to the page they asked for, or to their account after a POST.
                let read = req.method() == actix_web::http::Method::GET
                    || req.method() == actix_web::http::Method::HEAD;
                return Err(AppError::PrivacyPending(if read {
                    next
                } else {
                    urls::account()
                }));
            }
            Ok(ctx)
        })
    }
}

impl Ctx {
    /// A signed-in user whose last acknowledged privacy notice is older than the current one
    /// sees the acknowledgement page before any other (a POST elsewhere changes nothing and
    /// leads there too). Runs after every sign-in step, as the session holds a user only once
    /// they have all passed. The notice itself, the acknowledgement, the data download and
    /// signing out stay open.
    pub fn privacy_gate(&self) -> Result<(), AppError> {
        let Some(u) = &self.user else {
            return Ok(());
        };
        if u.privacy_pending.is_none() {
            return Ok(());
        }
        let open = [
            urls::privacy(),
            urls::privacy_acknowledge(),
            urls::logout(),
            urls::account_data(),
        ];
        if open.contains(&self.path) {
            return Ok(());
        }
        Err(AppError::PrivacyPending(self.path_and_query()))
    }
}

pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

fn nav_for(user: Option<&CurrentUser>, path: &str) -> Vec<NavItem> {
    let items: Vec<(String, &'static str)> = match user.map(|u| u.role) {
        None => vec![
            (urls::home(), "nav.home"),
            (urls::editions(), "nav.calls"),
            (urls::register(), "nav.register"),
            (urls::login(), "nav.login"),
        ],
        Some(Role::Applicant) => vec![
            (urls::home(), "nav.home"),
            (urls::account(), "nav.dashboard"),
            (urls::institution(), "nav.institution"),
            (urls::account_settings(), "nav.settings"),
        ],
        Some(Role::Juror) => vec![
            (urls::home(), "nav.home"),
            (urls::jury(), "nav.jury"),
            (urls::account_settings(), "nav.settings"),
        ],
        Some(Role::Organiser) => vec![
            (urls::home(), "nav.home"),
            (urls::account(), "nav.dashboard"),
            (urls::admin_editions(), "nav.editions"),
            (urls::admin_users(), "nav.users"),
            (urls::admin_outbox(), "nav.outbox"),
            (urls::admin_audit(), "nav.audit"),
            (urls::account_settings(), "nav.settings"),
        ],
    };
    // The longest matching prefix is the current section.
    let home = urls::home();
    let current = items
        .iter()
        .filter(|(href, _)| {
            href == path || (*href != home && path.starts_with(&format!("{href}/")))
        })
        .map(|(href, _)| href.clone())
        .max_by_key(std::string::String::len);
    items
        .into_iter()
        .map(|(href, label)| NavItem {
            current: Some(&href) == current.as_ref(),
            href,
            label,
        })
        .collect()
}

/// This page's address with `lang=` set to the other language, other parameters kept.
fn switch_href(path: &str, query: &str, to: Lang) -> String {
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let lang_param = format!("lang={}", to.code());
    parts.push(&lang_param);
    format!("{path}?{}", parts.join("&"))
}

/// Values the base layout shows on every page.
pub struct Layout {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    pub nav: Vec<NavItem>,
    pub switch_href: String,
    pub flash: Option<&'static str>,
    /// Set by form pages that show errors: the title then starts with "Błąd:".
    pub has_errors: bool,
    pub now: NaiveDateTime,
    session: Session,
    /// The first moment after `now` at which something this page showed changes by itself (a
    /// call opens or closes, the time left drops a minute): a copy kept for other visitors
    /// expires then.
    changes_at: std::cell::Cell<Option<NaiveDateTime>>,
}

impl Layout {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        self.lang.tf(key, args)
    }

    /// The English text when the page is in English and one exists, else the Polish one.
    pub fn pick<'a>(&self, pl: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(pl, en)
    }

    /// `text` in this page's language's quotation marks (Polish „…”, English “…”).
    pub fn quote(&self, text: &str) -> String {
        self.lang.quote(text)
    }

    /// A date (no time) in this page's language.
    pub fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        match d {
            Some(d) => match self.lang {
                Lang::Pl => d.format("%d.%m.%Y").to_string(),
                Lang::En => d.format("%-d %b %Y").to_string(),
            },
            None => String::from("—"),
        }
    }

    /// "3 dni 4 godz." until `deadline`, or empty once it has passed.
    pub fn time_left(&self, deadline: &NaiveDateTime) -> String {
        let Some(left) = time::remaining(self.now, *deadline) else {
            return String::new();
        };
        // The text counts whole minutes: it changes when the next one is gone (at once when
        // this is the very moment one ends).
        let next = *deadline - chrono::Duration::minutes(left.num_minutes());
        self.changes(next.max(self.now + chrono::Duration::seconds(1)));
        time::format_remaining(left, self.lang)
    }

    /// Notes that this page shows something that changes by itself at `at` (see `changes_at`).
    pub fn changes(&self, at: NaiveDateTime) {
        if at > self.now {
            let first = self.changes_at.get().map_or(at, |c| c.min(at));
            self.changes_at.set(Some(first));
        }
    }

    /// When this page, shown to anyone not signed in, would read differently by itself.
    pub fn changes_at(&self) -> Option<NaiveDateTime> {
        self.changes_at.get()
    }

    /// A text chosen by a count (`$n`, plural selectors), for templates.
    pub fn tn(&self, key: &str, n: usize) -> String {
        self.lang.tn(key, i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// `tf` with one placeholder, for templates.
    pub fn tf1(&self, key: &str, name: &str, value: &str) -> String {
        self.lang.tf(key, &[(name, &value)])
    }

    /// `tf` with two placeholders, for templates.
    pub fn tf2(&self, key: &str, a: &str, av: &str, b: &str, bv: &str) -> String {
        self.lang.tf(key, &[(a, &av), (b, &bv)])
    }

    /// The CSRF token for forms on this page, created on first use.
    pub fn csrf(&self) -> String {
        csrf::token(&self.session)
    }

    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }

    /// A date and time in Europe/Warsaw, in this page's language.
    pub fn time(&self, utc: &NaiveDateTime) -> String {
        time::format(*utc, self.lang)
    }

    pub fn time_opt(&self, utc: &Option<NaiveDateTime>) -> String {
        utc.map(|t| time::format(t, self.lang)).unwrap_or_default()
    }

    pub fn role_label(&self, role: &Role) -> &'static str {
        self.t(role.label_key())
    }

    pub fn kind_label(&self, kind: &str) -> &'static str {
        self.t(&crate::domain::roles::institution_kind_key(kind))
    }

    fn is(&self, role: Role) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == role)
    }

    pub fn is_applicant(&self) -> bool {
        self.is(Role::Applicant)
    }

    pub fn is_juror(&self) -> bool {
        self.is(Role::Juror)
    }

    pub fn is_organiser(&self) -> bool {
        self.is(Role::Organiser)
    }

    pub fn errors(mut self, errors: &crate::web::form::Errors) -> Self {
        self.has_errors = !errors.is_empty();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_users_language_is_the_switch_then_the_session_then_the_account() {
        assert_eq!(user_lang(None, None, Lang::En), Lang::En);
        assert_eq!(user_lang(None, Some(Lang::Pl), Lang::En), Lang::Pl);
        assert_eq!(
            user_lang(Some(Lang::En), Some(Lang::Pl), Lang::Pl),
            Lang::En
        );
    }

    #[test]
    fn language_switch_keeps_other_parameters() {
        assert_eq!(switch_href("/login", "", Lang::En), "/login?lang=en");
        assert_eq!(
            switch_href("/login", "next=%2Faccount&lang=en", Lang::Pl),
            "/login?next=%2Faccount&lang=pl"
        );
    }

    #[test]
    fn navigation_marks_the_current_section() {
        let nav = nav_for(None, "/login");
        assert!(nav.iter().any(|n| n.href == "/login" && n.current));
        assert!(nav.iter().filter(|n| n.current).count() == 1);
        let org = CurrentUser {
            id: 1,
            email: "o@x.pl".into(),
            name: "O".into(),
            role: Role::Organiser,
            institution_id: None,
            lang: Lang::Pl,
            privacy_pending: None,
        };
        let nav = nav_for(Some(&org), "/account/settings/password");
        let current: Vec<_> = nav
            .iter()
            .filter(|n| n.current)
            .map(|n| n.href.as_str())
            .collect();
        assert_eq!(current, vec!["/account/settings"]);
    }
}
