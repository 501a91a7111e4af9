//! Every path of the portal, defined once.
//!
//! Each route is one line below: its name, its pattern and the arguments that fill the pattern's
//! `{…}` segments in order. The route table (`web::pages::configure`) registers
//! `urls::pattern::<name>`; handlers, templates (`{{ crate::urls::entry(e.id) }}`), emails and
//! the CLI build links with `urls::<name>(…)`. Renaming a route is one edit here.

use std::fmt::{Display, Write};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What stays literal in a path segment or a query value: unreserved characters (RFC 3986).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `s` for use as one path segment or one query value.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// Fills the pattern's `{…}` segments with `args` in order, each percent-encoded.
fn fill(pattern: &str, args: &[&dyn Display]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(pattern.len() + 16);
    // Lists build one link per row: one scratch buffer, and the encoded pieces appended
    // straight to the link (no string per argument).
    let mut arg_text = String::new();
    let mut args = args.iter();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        if let Some(arg) = args.next() {
            arg_text.clear();
            let _ = write!(arg_text, "{arg}");
            out.extend(utf8_percent_encode(&arg_text, UNRESERVED));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

macro_rules! routes {
    ($( $(#[$doc:meta])* $name:ident = $pattern:literal $(($($arg:ident),+))? ; )*) => {
        /// Route patterns as actix-web registers them, by the name of their builder.
        #[allow(non_upper_case_globals)]
        pub mod pattern {
            $( pub const $name: &str = $pattern; )*
        }

        $(
            $(#[$doc])*
            pub fn $name($($($arg: impl Display),+)?) -> String {
                fill($pattern, &[$($(&$arg),+)?])
            }
        )*

        /// Every route with the number of arguments its builder takes (for the tests).
        #[cfg(test)]
        const ALL: &[(&str, usize)] = &[$(($pattern, <[&str]>::len(&[$($(stringify!($arg)),+)?]))),*];
    };
}

routes! {
    home = "/";
    accessibility = "/accessibility";
    privacy = "/privacy";
    /// The health check (outside the session, registered by `home::healthz_route`).
    healthz = "/healthz";
    /// The readiness probe (database, schema, outbox worker), registered with `healthz`.
    readyz = "/readyz";

    // Accounts.
    register = "/register";
    register_sent = "/register/sent";
    verify = "/verify";
    verify_resend = "/verify/resend";
    login = "/login";
    /// The second step of signing in: the code from the app or a recovery code.
    login_code = "/login/code";
    logout = "/logout";
    password_forgot = "/password/forgot";
    password_reset = "/password/reset";
    invite = "/invite";
    setup = "/setup";
    account = "/account";
    account_settings = "/account/settings";
    account_password = "/account/password";
    /// Two-factor sign-in: set-up, state, turning it off.
    account_two_factor = "/account/two-factor";
    account_two_factor_disable = "/account/two-factor/disable";
    /// New recovery codes in place of the old ones (GET: the form; POST: the codes, once).
    account_two_factor_codes = "/account/two-factor/recovery-codes";
    /// A download of everything stored about the signed-in user (JSON).
    account_data = "/account/data";
    /// Acknowledging a new version of the privacy notice (GET: the page; POST: record it).
    privacy_acknowledge = "/privacy/acknowledge";
    institution = "/institution";
    institution_members = "/institution/members";

    // Organisers' administration.
    admin_users = "/admin/users";
    admin_user_disable = "/admin/users/{id}/disable" (id);
    admin_user_enable = "/admin/users/{id}/enable" (id);
    /// Resetting a user's second factor (GET: what it does; POST: do it).
    admin_user_two_factor_reset = "/admin/users/{id}/two-factor-reset" (id);
    /// The site-wide rule: organisers and jurors must use two-factor sign-in.
    admin_two_factor_policy = "/admin/users/two-factor";
    /// Erasing a person's personal data (GET: what it does; POST: do it).
    admin_user_anonymise = "/admin/users/{id}/anonymise" (id);
    /// Erasing an institution's contact data and its members' personal data.
    admin_institution_anonymise = "/admin/institutions/{id}/anonymise" (id);
    admin_outbox = "/admin/outbox";
    admin_outbox_message = "/admin/outbox/{id}" (id);
    admin_outbox_retry = "/admin/outbox/{id}/retry" (id);
    admin_audit = "/admin/audit";
    /// The accessibility statement and the privacy notice, edited by organisers.
    admin_site = "/admin/site";

    // Editions: public pages and the set-up.
    editions = "/editions";
    /// An edition's public page, by its slug.
    edition = "/editions/{slug}" (slug);
    admin_editions = "/admin/editions";
    admin_edition_new = "/admin/editions/new";
    admin_edition = "/admin/editions/{id}" (id);
    admin_edition_state = "/admin/editions/{id}/state" (id);
    admin_category_new = "/admin/editions/{id}/categories/new" (edition);
    admin_category = "/admin/categories/{id}" (id);
    admin_category_delete = "/admin/categories/{id}/delete" (id);
    admin_criterion_new = "/admin/editions/{id}/criteria/new" (edition);
    admin_criterion = "/admin/criteria/{id}" (id);
    admin_criterion_delete = "/admin/criteria/{id}/delete" (id);

    // Entries: applicants, and the organisers' formal check.
    entry_new = "/entries/new";
    entry = "/entries/{id}" (id);
    entry_edit = "/entries/{id}/edit" (id);
    /// Confirming the submission of an entry (GET: what it does; POST: do it).
    entry_submit = "/entries/{id}/submit" (id);
    entry_withdraw = "/entries/{id}/withdraw" (id);
    entry_print = "/entries/{id}/print" (id);
    entry_attachments = "/entries/{id}/attachments" (id);
    entry_attachment = "/entries/{id}/attachments/{aid}" (id, aid);
    entry_attachment_delete = "/entries/{id}/attachments/{aid}/delete" (id, aid);
    /// All attachments of an entry, or of a category's entries, as one ZIP.
    entry_attachments_zip = "/entries/{id}/attachments.zip" (id);
    category_attachments_zip = "/categories/{id}/attachments.zip" (id);
    /// An organiser's email settings (digest, juror notices), saved from the settings page.
    account_mail = "/account/mail";
    admin_entries = "/admin/editions/{id}/entries" (edition);
    admin_entries_csv = "/admin/editions/{id}/entries.csv" (edition);
    /// Accepting the selected entries at once (GET: the confirmation naming them; POST: do it).
    admin_entries_accept = "/admin/editions/{id}/entries/accept" (edition);
    /// What accepting the selected entries did (`?entry=…` accepted, `&left=…` left alone).
    admin_entries_accepted = "/admin/editions/{id}/entries/accepted" (edition);
    admin_entry = "/admin/entries/{id}" (id);
    admin_entry_decision = "/admin/entries/{id}/decision" (id);

    // The jury: jurors' pages.
    jury = "/jury";
    jury_invite = "/jury/invite";
    jury_declaration = "/jury/editions/{id}/declaration" (edition);
    jury_conflicts = "/jury/editions/{id}/conflicts" (edition);
    jury_entry = "/jury/entries/{id}" (id);
    /// Confirming the submission of a juror's score (GET: what it does; POST: do it).
    jury_entry_submit = "/jury/entries/{id}/submit" (id);

    // The jury: organisers' pages.
    admin_jury = "/admin/editions/{id}/jury" (edition);
    admin_jury_settings = "/admin/editions/{id}/jury/settings" (edition);
    admin_jury_invite = "/admin/editions/{id}/jury/invite" (edition);
    admin_juror = "/admin/editions/{id}/jury/{juror}" (edition, juror);
    admin_juror_categories = "/admin/editions/{id}/jury/{juror}/categories" (edition, juror);
    admin_juror_reinvite = "/admin/editions/{id}/jury/{juror}/reinvite" (edition, juror);
    admin_juror_assignment = "/admin/editions/{id}/jury/{juror}/assignment" (edition, juror);
    admin_juror_reopen = "/admin/editions/{id}/jury/{juror}/reopen" (edition, juror);
    admin_conflicts = "/admin/editions/{id}/conflicts" (edition);
    admin_conflict_delete = "/admin/conflicts/{id}/delete" (id);
    admin_remind = "/admin/editions/{id}/remind" (edition);

    // Ranking, awards, protocol, results.
    admin_ranking = "/admin/editions/{id}/ranking" (edition);
    admin_awards = "/admin/editions/{id}/awards/{category}" (edition, category);
    admin_protocol = "/admin/editions/{id}/protocol" (edition);
    admin_protocol_finalise = "/admin/editions/{id}/protocol/finalise" (edition);
    admin_scores_csv = "/admin/editions/{id}/scores.csv" (edition);
    admin_announce = "/admin/editions/{id}/announce" (edition);
    /// Recipients per kind and the messages, before the announcement is sent.
    admin_announce_confirm = "/admin/editions/{id}/announce/confirm" (edition);
    /// The announcement's progress as JSON (organisers; polled by the announce page's script).
    admin_announce_progress = "/admin/editions/{id}/announce/progress" (edition);
    /// The results before publication (organisers only) and their publication's schedule.
    admin_publication = "/admin/editions/{id}/publication" (edition);
    admin_publication_cancel = "/admin/editions/{id}/publication/cancel" (edition);
    results = "/editions/{slug}/results" (slug);
    results_csv = "/editions/{slug}/results.csv" (slug);
    results_json = "/editions/{slug}/results.json" (slug);
}

/// `path?name=value`, the value percent-encoded.
pub fn with_query(path: String, name: &str, value: impl Display) -> String {
    let mut out = path;
    let _ = write!(out, "?{name}={}", encode(&value.to_string()));
    out
}

/// A link carrying a one-time secret (`/verify?token=…`, `/password/reset?token=…`, …).
pub fn with_token(path: String, secret: &str) -> String {
    with_query(path, "token", secret)
}

/// What stays literal in a query value: unreserved characters and slashes (RFC 3986 allows
/// them in a query), so a path in it stays readable (`/login?next=/account`).
const QUERY_VALUE: &AsciiSet = &UNRESERVED.remove(b'/');

/// Percent-encodes `s` as one query value (filters in list links, `next`).
pub fn encode_query_value(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// The sign-in page that returns to `next` (a local path) afterwards.
pub fn login_then(next: &str) -> String {
    format!("{}?next={}", login(), encode_query_value(next))
}

/// The privacy notice's acknowledgement page that returns to `next` (a local path) afterwards.
pub fn privacy_acknowledge_then(next: &str) -> String {
    format!(
        "{}?next={}",
        privacy_acknowledge(),
        encode_query_value(next)
    )
}

/// `path#fragment`, for links to a part of a page.
pub fn at(path: String, fragment: &str) -> String {
    let mut out = path;
    let _ = write!(out, "#{fragment}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_fill_every_segment_in_order() {
        assert_eq!(entry(7), "/entries/7");
        assert_eq!(entry_attachment(7, 12), "/entries/7/attachments/12");
        assert_eq!(admin_juror_reopen(3, 9), "/admin/editions/3/jury/9/reopen");
        assert_eq!(results("slc-2026"), "/editions/slc-2026/results");
        assert_eq!(home(), "/");
    }

    #[test]
    fn arguments_are_one_encoded_segment() {
        assert_eq!(edition("a/b?c d"), "/editions/a%2Fb%3Fc%20d");
        assert_eq!(edition("lider-ż"), "/editions/lider-%C5%BC");
    }

    #[test]
    fn query_values_keep_slashes_and_encode_the_rest() {
        assert_eq!(
            encode_query_value("/admin/users?q=a b&x=ż"),
            "/admin/users%3Fq%3Da%20b%26x%3D%C5%BC"
        );
    }

    #[test]
    fn queries_and_fragments() {
        assert_eq!(
            login_then("/entries/1?x=1&y"),
            "/login?next=/entries/1%3Fx%3D1%26y"
        );
        assert_eq!(with_token(verify(), "Ab-9_"), "/verify?token=Ab-9_");
        assert_eq!(
            at(entry_edit(4), "attachments"),
            "/entries/4/edit#attachments"
        );
    }

    #[test]
    fn every_pattern_takes_as_many_arguments_as_it_has_segments() {
        let mut seen = std::collections::HashSet::new();
        for (p, n) in ALL {
            assert!(p.starts_with('/'), "{p}");
            assert_eq!(p.matches('{').count(), *n, "{p}");
            assert_eq!(p.matches('}').count(), *n, "{p}");
            assert!(seen.insert(*p), "{p} defined twice");
        }
    }
}
