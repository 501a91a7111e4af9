//! Real-browser tests in headless Chromium: forms found and filled by their visible labels,
//! and axe-core (WCAG 2.1 A/AA and best practices) on every page, in Polish and English. The
//! W3C Nu HTML checker validates the same pages. Adding a page to `PAGES` checks it everywhere.

use std::path::{Path, PathBuf};

use diesel::prelude::*;

use crate::support::judging::{closed_with_entries, entry_of, id_of_user, juror};
use crate::support::webdriver::{Browser, chromium_paths};
use crate::support::{
    Backend, Client, Options, PASSWORD, PDF, Page, TestApp, ci, entry_form, login, open_call,
    organiser, pairs, register_applicant, registration, warsaw,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Applicant,
    Organiser,
    Juror,
    /// An institution of the published demo edition (sees its scores).
    Laureate,
    /// An applicant whose acknowledged privacy notice is older than the current one.
    Unacknowledged,
    /// An applicant with two-factor sign-in on, past the password but not the code.
    Pending,
    /// An applicant signed in with two-factor sign-in on and three recovery codes left.
    TwoFactor,
}

/// Every kind of visitor, in the order the tests sign them in.
const EVERYONE: &[Who] = &[
    Who::Anonymous,
    Who::Applicant,
    Who::Laureate,
    Who::Juror,
    Who::Organiser,
    Who::Unacknowledged,
    Who::Pending,
    Who::TwoFactor,
];

/// Not a GET: the recovery codes shown once, after new ones are made on their form with the
/// password and a code.
const NEW_CODES: &str = "{new_codes}";

/// Every page of the portal, with who opens it. `{…}` parts are filled from a prepared site:
/// the demo edition (published), a new open call with an entry, and a draft edition.
pub const PAGES: &[(Who, &str)] = &[
    (Who::Anonymous, "/"),
    (Who::Anonymous, "/register"),
    (Who::Anonymous, "/register/sent"),
    (Who::Anonymous, "/login"),
    (Who::Anonymous, "/password/forgot"),
    (Who::Anonymous, "/verify/resend"),
    (Who::Anonymous, "/accessibility"),
    (Who::Anonymous, "/privacy"),
    (Who::Anonymous, "/no-such-page"),
    (Who::Anonymous, "{verify_link}"),
    (Who::Anonymous, "{reset_link}"),
    (Who::Anonymous, "{invite_link}"),
    (Who::Anonymous, "{juror_invite_link}"),
    (Who::Anonymous, "/verify?token=0000"),
    (Who::Anonymous, "/editions"),
    (Who::Anonymous, "/editions/{slug}"),
    (Who::Anonymous, "/editions/vi-edycja"),
    (Who::Anonymous, "/editions/vi-edycja/results"),
    (Who::Applicant, "/account"),
    (Who::Applicant, "/account/settings"),
    (Who::Applicant, "/account/password"),
    (Who::Applicant, "/institution"),
    (Who::Applicant, "/institution/members"),
    (Who::Applicant, "/account/two-factor"),
    (Who::Applicant, "/logout"),
    (Who::Applicant, "/admin/users"),
    (Who::Applicant, "/entries/new"),
    (Who::Applicant, "/entries/{entry_id}"),
    (Who::Applicant, "/entries/{entry_id}/edit"),
    (Who::Applicant, "/entries/{entry_id}/print"),
    (Who::Applicant, "/entries/{draft_entry}/submit"),
    (Who::Applicant, "/entries/{entry_id}/withdraw"),
    (Who::Laureate, "/account"),
    (Who::Laureate, "/entries/{demo_entry}"),
    (Who::Juror, "/jury"),
    (Who::Juror, "/jury/entries/{demo_entry}"),
    (Who::Juror, "/jury/entries/{demo_conflict}"),
    (Who::Juror, "/account/settings"),
    (Who::Organiser, "/account"),
    (Who::Organiser, "/admin/users"),
    (Who::Organiser, "/admin/outbox"),
    (Who::Organiser, "/admin/outbox/{message_id}"),
    (Who::Organiser, "/admin/audit"),
    (Who::Organiser, "/admin/site"),
    (Who::Organiser, "/admin/editions"),
    (Who::Organiser, "/admin/editions/new"),
    (Who::Organiser, "/admin/editions/{edition_id}"),
    (Who::Organiser, "/admin/editions/{draft_id}"),
    (Who::Organiser, "/admin/editions/{draft_id}/categories/new"),
    (Who::Organiser, "/admin/categories/{category_id}"),
    (Who::Organiser, "/admin/editions/{draft_id}/criteria/new"),
    (Who::Organiser, "/admin/criteria/{criterion_id}"),
    (Who::Organiser, "/admin/editions/{edition_id}/entries"),
    (Who::Organiser, "/admin/editions/{demo_id}/entries?page=2"),
    (Who::Organiser, "/admin/users?page=2&role=applicant"),
    (Who::Organiser, "/admin/entries/{entry_id}"),
    (Who::Organiser, "/editions/{slug}"),
    (Who::Organiser, "/admin/editions/{draft_id}/jury"),
    (Who::Organiser, "/admin/editions/{demo_id}"),
    (Who::Organiser, "/admin/editions/{demo_id}/jury"),
    (
        Who::Organiser,
        "/admin/editions/{demo_id}/jury/{demo_juror}",
    ),
    (Who::Organiser, "/admin/editions/{demo_id}/ranking"),
    (Who::Organiser, "/admin/editions/{demo_id}/protocol"),
    (Who::Organiser, "/admin/editions/{demo_id}/announce"),
    // The results' publication: published (the preview, no form), and a call still open (the
    // reason no time can be set yet).
    (Who::Organiser, "/admin/editions/{demo_id}/publication"),
    (Who::Organiser, "/admin/editions/{edition_id}/publication"),
    (
        Who::Organiser,
        "/admin/editions/{demo_id}/announce/confirm?extra=redakcja%40gazeta.example",
    ),
    // Confirmation pages of steps the published demo no longer allows: the reason, no button.
    (
        Who::Organiser,
        "/admin/editions/{demo_id}/protocol/finalise",
    ),
    (
        Who::Organiser,
        "/admin/editions/{demo_id}/state?to=published",
    ),
    (Who::Organiser, "/admin/editions/{demo_id}/remind"),
    (Who::Organiser, "/admin/editions/{draft_id}/state?to=open"),
    // The call is still open: closing it early is refused with the reason.
    (
        Who::Organiser,
        "/admin/editions/{edition_id}/state?to=closed",
    ),
    (Who::Organiser, "/admin/users/{demo_juror}/disable"),
    // The juror has no second factor: the reset is refused with the reason.
    (Who::Organiser, "/admin/users/{demo_juror}/two-factor-reset"),
    // Erasing personal data: refused (an entry in the open call) and possible (the laureate's
    // institution, whose only edition is published).
    (Who::Organiser, "/admin/users/{applicant_id}/anonymise"),
    (
        Who::Organiser,
        "/admin/institutions/{applicant_inst}/anonymise",
    ),
    (
        Who::Organiser,
        "/admin/institutions/{laureate_inst}/anonymise",
    ),
    (Who::Organiser, "/admin/entries/{demo_entry}"),
    // The publication's form: judged with the protocol finalised (a time can be set), and
    // with a time set (change or cancel).
    (Who::Organiser, "/admin/editions/{judged_id}/publication"),
    (Who::Organiser, "/admin/editions/{scheduled_id}/publication"),
    // The staff two-factor rule: the confirmation of turning it on with its counts, and of
    // turning off what is already off (the reason, no button).
    (Who::Organiser, "/admin/users/two-factor?required=yes"),
    (Who::Organiser, "/admin/users/two-factor?required=no"),
    // Possible: resetting the second factor of an account that has it, and erasing the data of
    // a laureate's member (the edition is published).
    (
        Who::Organiser,
        "/admin/users/{two_factor_user}/two-factor-reset",
    ),
    (Who::Organiser, "/admin/users/{laureate_id}/anonymise"),
    (Who::Unacknowledged, "/privacy/acknowledge"),
    (Who::Pending, "/login/code"),
    // Two-factor sign-in on, few recovery codes left: the warnings, the form for new codes
    // and the new codes shown once.
    (Who::TwoFactor, "/account"),
    (Who::TwoFactor, "/account/two-factor"),
    (Who::TwoFactor, "/account/two-factor/recovery-codes"),
    (Who::TwoFactor, NEW_CODES),
    // Issue 13: the entry list searched, filtered by award and sorted; an entry between its
    // neighbours in that list; the bulk accept's confirmation (nothing acceptable in an open
    // call: the reason, the entry named) and its result page.
    (
        Who::Organiser,
        "/admin/editions/{demo_id}/entries?q=ostroleki&award=mention&sort=title&dir=desc",
    ),
    (
        Who::Organiser,
        "/admin/entries/{demo_entry}?sort=institution&dir=asc",
    ),
    (
        Who::Organiser,
        "/admin/editions/{edition_id}/entries/accept?entry={entry_id}",
    ),
    (
        Who::Organiser,
        "/admin/editions/{demo_id}/entries/accepted?entry={demo_entry}&left={demo_conflict}",
    ),
    // Issue 13: an organiser's email settings, and a category's ZIP with no file in it (a page
    // saying so, 404).
    (Who::Organiser, "/account/settings"),
    (Who::Organiser, "/categories/{category_id}/attachments.zip"),
    // charts: an open call's ranking and announcement (nothing to draw: the sentences), and
    // the demo's announcement with a message queued for a later attempt and one failed
    // (prepared below; the demo's edition, jury and ranking pages above draw every chart).
    (Who::Organiser, "/admin/editions/{edition_id}/ranking"),
    (Who::Organiser, "/admin/editions/{edition_id}/announce"),
    // end charts
];

const APPLICANT: &str = "wcag@gmina.example";
const ORGANISER: &str = "organizator@mazovia.demo.example";
const LAUREATE: &str = "urzad-miasta-i-gminy-piaseczno@demo.example";
const UNACKNOWLEDGED: &str = "rodo@gmina.example";
const PENDING: &str = "kod@gmina.example";
const TWO_FACTOR: &str = "mfa@gmina.example";

/// The demo edition plus a new call with an entry, a draft, and live links from emails.
struct Site {
    app: TestApp,
    password: String,
    juror: String,
    /// The two-factor secret of `TWO_FACTOR`'s account.
    secret: String,
    links: Vec<(&'static str, String)>,
    values: Vec<(&'static str, String)>,
}

fn prepare(backend: Backend) -> Option<Site> {
    // Small pages: the organisers' lists of the demo span several, so the page navigation is
    // checked too.
    let opts = Options {
        page_size: Some(5),
        ..Options::default()
    };
    let app = TestApp::spawn_with(backend, opts)?;
    let cfg = app.state.config.clone();
    let demo = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads");
    let org = app.client();
    login(&org, ORGANISER, &demo.password);
    let call = open_call(&app, &org, "vii-edycja", chrono::Duration::days(14));
    let now = app.now();
    let draft = org.submit(
        "/admin/editions/new",
        "/admin/editions/new",
        &[
            ("template", "model"),
            ("name", "VIII edycja"),
            ("year", "2028"),
            ("slug", "viii-edycja"),
            ("opens_at", &warsaw(now + chrono::Duration::days(300))),
            ("closes_at", &warsaw(now + chrono::Duration::days(330))),
            (
                "judging_deadline",
                &warsaw(now + chrono::Duration::days(360)),
            ),
            ("entries_per_category", "1"),
        ],
    );
    let draft_id: i32 = draft
        .url
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("draft created");
    let reg = register_applicant(&app, APPLICANT, "Gmina Dostępna");
    crate::support::submit_entry(
        &reg.client,
        "/entries/new",
        "/entries/new",
        &pairs(&entry_form(call.categories[0], "Portal map gminy", &[])),
    );
    let entry_id = entry_of(&app, "Portal map gminy");
    // A complete draft in another category, for the confirmation before submitting.
    reg.client.submit(
        "/entries/new",
        "/entries/new",
        &pairs(&entry_form(
            call.categories[1],
            "E-usługi gminy",
            &[("action", "save")],
        )),
    );
    let draft_entry = entry_of(&app, "E-usługi gminy");
    reg.client.upload(
        &format!("/entries/{entry_id}/edit"),
        &format!("/entries/{entry_id}/attachments"),
        "opis.pdf",
        PDF,
    );
    reg.client.submit(
        "/institution/members",
        "/institution/members",
        &[("name", "Jan Zaproszony"), ("email", "jan@gmina.example")],
    );
    let invite = app
        .smtp
        .wait_nth("jan@gmina.example", 1)
        .link(&app.url("/invite?token="));
    // A second applicant who has not confirmed yet, and a reset request for the first.
    let c = app.client();
    c.submit(
        "/register",
        "/register",
        &registration(
            "Gmina Niepotwierdzona",
            "ewa@gmina.example",
            &[("name", "Ewa Czekająca")],
        ),
    );
    let verify = app
        .smtp
        .wait_nth("ewa@gmina.example", 1)
        .link(&app.url("/verify?token="));
    c.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", APPLICANT)],
    );
    let reset = app
        .smtp
        .wait_subject(
            APPLICANT,
            "Ustaw nowe hasło – konkurs „Samorządowy Lider Cyfryzacji”",
        )
        .link(&app.url("/password/reset?token="));
    // A juror invited into the draft edition's jury, who has not set a password yet.
    org.submit(
        &format!("/admin/editions/{draft_id}/jury"),
        &format!("/admin/editions/{draft_id}/jury/invite"),
        &[
            ("name", "Nowy Juror"),
            ("email", "nowy@jury.example"),
            ("affiliation", ""),
            ("lang", "pl"),
        ],
    );
    let juror_invite = app
        .smtp
        .wait_subject(
            "nowy@jury.example",
            "Zaproszenie do jury konkursu „Samorządowy Lider Cyfryzacji”",
        )
        .link(&app.url("/jury/invite?token="));

    let (category_id, criterion_id, demo_id, demo_entry, demo_conflict) = app.db(|c| {
        use konkurs::db::schema::{
            categories, conflicts, criteria, editions, entries, institutions,
        };
        let demo_id: i32 = editions::table
            .filter(editions::slug.eq("vi-edycja"))
            .select(editions::id)
            .first(c)
            .unwrap();
        let piaseczno: i32 = institutions::table
            .filter(institutions::name.eq("Urząd Miasta i Gminy Piaseczno"))
            .select(institutions::id)
            .first(c)
            .unwrap();
        let conflicted_inst: i32 = conflicts::table
            .select(conflicts::institution_id)
            .first(c)
            .unwrap();
        (
            categories::table
                .filter(categories::edition_id.eq(draft_id))
                .select(categories::id)
                .first::<i32>(c)
                .unwrap(),
            criteria::table
                .filter(criteria::edition_id.eq(draft_id))
                .select(criteria::id)
                .first::<i32>(c)
                .unwrap(),
            demo_id,
            entries::table
                .filter(entries::edition_id.eq(demo_id))
                .filter(entries::institution_id.eq(piaseczno))
                .select(entries::id)
                .first::<i32>(c)
                .unwrap(),
            entries::table
                .filter(entries::institution_id.eq(conflicted_inst))
                .select(entries::id)
                .first::<i32>(c)
                .unwrap(),
        )
    });
    let juror_email = konkurs::demo::JURORS[4].2.to_string();
    let demo_juror = id_of_user(&app, &juror_email);
    // The first message queued here (the demo leaves no mail, and sequences go on after it).
    let message_id: i32 = app.db(|c| {
        konkurs::db::schema::outbox::table
            .select(konkurs::db::schema::outbox::id)
            .order(konkurs::db::schema::outbox::id)
            .first(c)
            .unwrap()
    });
    let applicant_id = id_of_user(&app, APPLICANT);
    let (applicant_inst, laureate_inst): (i32, i32) = app.db(|c| {
        use konkurs::db::schema::users;
        let inst = |c: &mut konkurs::db::DbConn, email: &str| -> i32 {
            users::table
                .filter(users::email.eq(email))
                .select(users::institution_id)
                .first::<Option<i32>>(c)
                .unwrap()
                .unwrap()
        };
        (inst(c, APPLICANT), inst(c, LAUREATE))
    });
    // charts: the demo's announcement in progress (one message waits for its next attempt,
    // one failed), so the announce page shows its bars, its refresh link and the failure.
    announcement_in_progress(&app, laureate_inst);
    // end charts
    // The publication: two more editions, judged, with their protocols finalised and their
    // calls over before the open one (which stays the current edition); a time is set for one.
    let mut judged = Vec::new();
    for (slug, year) in [("ix-edycja", "2029"), ("x-edycja", "2030")] {
        let made = org.submit(
            "/admin/editions/new",
            "/admin/editions/new",
            &[
                ("template", "model"),
                ("name", &format!("Edycja {year}")),
                ("year", year),
                ("slug", slug),
                ("opens_at", &warsaw(now + chrono::Duration::days(400))),
                ("closes_at", &warsaw(now + chrono::Duration::days(430))),
                (
                    "judging_deadline",
                    &warsaw(now + chrono::Duration::days(460)),
                ),
                ("entries_per_category", "1"),
            ],
        );
        let id: i32 = made
            .url
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .expect("created");
        app.db(|c| {
            use konkurs::db::schema::editions;
            diesel::update(editions::table.find(id))
                .set((
                    editions::state.eq("judging"),
                    editions::opens_at.eq(now - chrono::Duration::days(90)),
                    editions::closes_at.eq(now - chrono::Duration::days(60)),
                    editions::protocol_finalised_at.eq(Some(now - chrono::Duration::days(1))),
                ))
                .execute(c)
                .unwrap();
        });
        judged.push(id);
    }
    let scheduled = org.submit(
        &format!("/admin/editions/{}/publication", judged[1]),
        &format!("/admin/editions/{}/publication", judged[1]),
        &[
            ("publish_at", &warsaw(now + chrono::Duration::days(7))),
            ("announce", "yes"),
        ],
    );
    assert_eq!(scheduled.status, 200, "{}", scheduled.body);
    // The states the pages are listed for: a form to set a time; a time set, to change or cancel.
    let form = org.get(&format!("/admin/editions/{}/publication", judged[0]));
    form.assert_contains("name=\"publish_at\" type=\"datetime-local\" value=\"\"");
    scheduled.assert_contains(&format!(
        "action=\"/admin/editions/{}/publication/cancel\"",
        judged[1]
    ));
    // An applicant who acknowledged an older privacy notice than the current one.
    register_applicant(&app, UNACKNOWLEDGED, "Gmina Nieświadoma");
    app.db(|c| {
        use konkurs::db::schema::users;
        let current = konkurs::db::rodo::privacy_version(c).unwrap();
        diesel::update(users::table.filter(users::email.eq(UNACKNOWLEDGED)))
            .set(users::privacy_version.eq(current - 1))
            .execute(c)
            .unwrap();
    });
    // Two applicants with two-factor sign-in on; the second has used seven recovery codes.
    let with_two_factor = |email: &str, place: &str| -> (String, Vec<String>) {
        use crate::two_factor::{code_at, secret_on};
        let c = register_applicant(&app, email, place).client;
        let setup = c.get("/account/two-factor");
        let secret = secret_on(&setup);
        let done = c.submit_on(
            &setup,
            "/account/two-factor",
            &[("code", &code_at(&secret, app.now()))],
        );
        assert_eq!(done.status, 200, "{}", done.body);
        (secret, recovery_codes_on(&done.body))
    };
    with_two_factor(PENDING, "Gmina Dwuetapowa");
    let (secret, _) = with_two_factor(TWO_FACTOR, "Gmina Ostrożna");
    let two_factor_user = id_of_user(&app, TWO_FACTOR);
    use_up_recovery_codes(&app, two_factor_user);
    let links = vec![
        ("{verify_link}", verify),
        ("{reset_link}", reset),
        ("{invite_link}", invite),
        ("{juror_invite_link}", juror_invite),
    ];
    let values = vec![
        ("{slug}", "vii-edycja".to_string()),
        ("{edition_id}", call.edition_id.to_string()),
        ("{draft_id}", draft_id.to_string()),
        ("{entry_id}", entry_id.to_string()),
        ("{draft_entry}", draft_entry.to_string()),
        ("{category_id}", category_id.to_string()),
        ("{criterion_id}", criterion_id.to_string()),
        ("{demo_id}", demo_id.to_string()),
        ("{demo_entry}", demo_entry.to_string()),
        ("{demo_conflict}", demo_conflict.to_string()),
        ("{demo_juror}", demo_juror.to_string()),
        ("{message_id}", message_id.to_string()),
        ("{applicant_id}", applicant_id.to_string()),
        ("{applicant_inst}", applicant_inst.to_string()),
        ("{laureate_inst}", laureate_inst.to_string()),
        ("{judged_id}", judged[0].to_string()),
        ("{two_factor_user}", two_factor_user.to_string()),
        ("{laureate_id}", id_of_user(&app, LAUREATE).to_string()),
        ("{scheduled_id}", judged[1].to_string()),
    ];
    Some(Site {
        app,
        password: demo.password,
        juror: juror_email,
        secret,
        links,
        values,
    })
}

/// Two messages of the demo's announcement: one to the press waiting for its next attempt
/// (tomorrow), one to the laureate that failed.
fn announcement_in_progress(app: &TestApp, laureate_inst: i32) {
    use konkurs::db::outbox::{self, NewMessage, OutboxStatus};
    use konkurs::db::schema::outbox as o;
    let now = app.now();
    let msg = |kind: &str, to: &str, inst: Option<i32>| NewMessage {
        kind: kind.into(),
        to_email: to.into(),
        to_name: String::new(),
        subject: "Wyniki".into(),
        body_text: "Wyniki konkursu".into(),
        body_html: String::new(),
        user_id: None,
        institution_id: inst,
    };
    app.db(|c| {
        c.transaction::<_, diesel::result::Error, _>(|c| {
            let queued = outbox::insert(
                c,
                &msg("announcement_press", "agencja@prasa.example", None),
                now,
            )?;
            diesel::update(o::table.find(queued))
                .set(o::next_attempt_at.eq(now + chrono::Duration::days(1)))
                .execute(c)?;
            let failed =
                outbox::insert(c, &msg("announcement", LAUREATE, Some(laureate_inst)), now)?;
            diesel::update(o::table.find(failed))
                .set((
                    o::status.eq(OutboxStatus::Failed),
                    o::attempts.eq(5),
                    o::last_error.eq(Some("550 mailbox unavailable")),
                ))
                .execute(c)?;
            Ok(())
        })
        .unwrap();
    });
}

impl Site {
    fn url(&self, path: &str) -> String {
        for (k, v) in &self.links {
            if path == *k {
                return v.clone();
            }
        }
        let mut p = path.to_string();
        for (k, v) in &self.values {
            p = p.replace(k, v);
        }
        self.app.url(&p)
    }

    /// Who logs in as whom (the demo's accounts share its password).
    fn credentials(&self, who: Who) -> Option<(String, String)> {
        match who {
            Who::Anonymous => None,
            Who::Applicant => Some((APPLICANT.into(), PASSWORD.into())),
            Who::Organiser => Some((ORGANISER.into(), self.password.clone())),
            Who::Juror => Some((self.juror.clone(), self.password.clone())),
            Who::Laureate => Some((LAUREATE.into(), self.password.clone())),
            Who::Unacknowledged => Some((UNACKNOWLEDGED.into(), PASSWORD.into())),
            Who::Pending => Some((PENDING.into(), PASSWORD.into())),
            Who::TwoFactor => Some((TWO_FACTOR.into(), PASSWORD.into())),
        }
    }

    /// A current code of `TWO_FACTOR`'s app, each time a new one (the clock moves a step).
    fn next_code(&self) -> String {
        self.app.advance(chrono::Duration::seconds(30));
        crate::two_factor::code_at(&self.secret, self.app.now())
    }

    /// Signs `who` in through the browser's login form (and the code step where there is one).
    fn browser_login(&self, b: &Browser, who: Who) {
        let Some((email, pw)) = self.credentials(who) else {
            return;
        };
        match who {
            Who::Pending | Who::TwoFactor | Who::Unacknowledged => {
                b.goto(&self.app.url("/login?lang=pl"));
                b.fill("Adres e-mail", &email);
                b.fill("Hasło", &pw);
                b.press("Zaloguj się");
            }
            _ => return ui_login(b, &self.app, &email, &pw),
        }
        let url = b.url();
        match who {
            Who::Unacknowledged => assert!(url.contains("/privacy/acknowledge"), "{url}"),
            Who::Pending => assert!(url.ends_with("/login/code"), "{url}"),
            _ => {
                assert!(url.ends_with("/login/code"), "{url}");
                b.fill("Kod z aplikacji lub kod zapasowy", &self.next_code());
                b.press("Zaloguj się");
                assert!(b.url().ends_with("/account"), "{}", b.url());
            }
        }
    }

    /// Opens a page of `PAGES` in the browser; `NEW_CODES` fills and sends the form for new
    /// recovery codes by its labels in `lang`.
    fn browser_open(&self, b: &Browser, path: &str, lang: &str) {
        if path == NEW_CODES {
            let l = konkurs::i18n::Lang::from_code(lang).unwrap();
            b.goto(&self.url(&format!("/account/two-factor/recovery-codes?lang={lang}")));
            b.fill(l.t("field.current_password"), PASSWORD);
            b.fill(l.t("field.two_factor_code"), &self.next_code());
            b.press(l.t("two_factor.new_codes_submit"));
            assert_eq!(b.h1(), l.t("two_factor.codes_title"), "{}", b.url());
            self.few_codes_left();
            return;
        }
        let url = self.url(path);
        let sep = if url.contains('?') { '&' } else { '?' };
        b.goto(&format!("{url}{sep}lang={lang}"));
    }

    /// The same page through the HTTP client.
    fn client_open(&self, c: &Client, path: &str, lang: &str) -> Page {
        if path == NEW_CODES {
            let form = c.get(&format!("/account/two-factor/recovery-codes?lang={lang}"));
            let done = c.submit_on(
                &form,
                "/account/two-factor/recovery-codes",
                &[("password", PASSWORD), ("code", &self.next_code())],
            );
            assert_eq!(done.status, 200, "{}", done.body);
            assert_eq!(recovery_codes_on(&done.body).len(), 10);
            self.few_codes_left();
            return done;
        }
        let url = self.url(path);
        let sep = if url.contains('?') { '&' } else { '?' };
        c.get(&format!("{url}{sep}lang={lang}"))
    }

    /// Back to three recovery codes left, for the warnings in the next language.
    fn few_codes_left(&self) {
        let uid = id_of_user(&self.app, TWO_FACTOR);
        use_up_recovery_codes(&self.app, uid);
    }

    fn expected_status(who: Who, path: &str) -> u16 {
        match (who, path) {
            (_, "/no-such-page") => 404,
            (_, "/verify?token=0000") => 410,
            (Who::Organiser, "/admin/users/two-factor?required=no") => 409,
            (Who::Applicant, "/admin/users") => 403,
            (Who::Juror, "/jury/entries/{demo_conflict}") => 403,
            (Who::Organiser, p) if p.ends_with("/attachments.zip") => 404,
            (Who::Organiser, p)
                if p.ends_with("/protocol/finalise")
                    || p.ends_with("/state?to=published")
                    || p.ends_with("/state?to=closed")
                    || p.ends_with("/remind")
                    || p.ends_with("{demo_juror}/two-factor-reset")
                    || p.ends_with("{applicant_id}/anonymise")
                    || p.ends_with("{applicant_inst}/anonymise")
                    || p.ends_with("/entries/accept?entry={entry_id}") =>
            {
                409
            }
            _ => 200,
        }
    }
}

/// The recovery codes listed on the page shown once.
fn recovery_codes_on(body: &str) -> Vec<String> {
    body.split("<li><code>")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect()
}

/// Marks all but three of the account's unused recovery codes used (as if signed in with them).
fn use_up_recovery_codes(app: &TestApp, uid: i32) {
    use konkurs::db::schema::two_factor_recovery as r;
    let now = app.now();
    app.db(move |c| {
        let unused: Vec<String> = r::table
            .filter(r::user_id.eq(uid))
            .filter(r::used_at.is_null())
            .select(r::code_hash)
            .load(c)
            .unwrap();
        let spend = &unused[..unused.len().saturating_sub(3)];
        diesel::update(
            r::table
                .filter(r::user_id.eq(uid))
                .filter(r::code_hash.eq_any(spend)),
        )
        .set(r::used_at.eq(Some(now)))
        .execute(c)
        .unwrap();
    });
}

/// The checkers' folder; on first use it is installed with `npm ci` when npm is available.
fn checker_dir() -> PathBuf {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    INSTALL.call_once(|| {
        if !root.join("node_modules/axe-core/axe.min.js").exists() {
            let status = std::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&root)
                .status();
            if !matches!(status, Ok(s) if s.success()) {
                eprintln!("npm ci in tests/browser failed: {status:?}");
            }
        }
    });
    root.join("node_modules")
}

fn skip_or_fail(what: &str) {
    if ci() {
        panic!("{what} is required with CI=true (run .ci/run, which installs it)");
    }
    eprintln!("SKIPPED: {what} is not installed (.ci/run installs it)");
}

fn browser() -> Option<(Browser, String)> {
    let Some((chrome, driver)) = chromium_paths() else {
        skip_or_fail("Chromium with chromedriver");
        return None;
    };
    let axe_path = checker_dir().join("axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        skip_or_fail("axe-core (tests/browser/node_modules)");
        return None;
    };
    Some((Browser::start(&chrome, &driver), axe))
}

fn ui_login(b: &Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/login?lang=pl"));
    b.fill("Adres e-mail", email);
    b.fill("Hasło", password);
    b.press("Zaloguj się");
    let url = b.url();
    assert!(
        url.ends_with("/account") || url.ends_with("/jury"),
        "login by labels went to {url}"
    );
}

#[test]
fn register_and_log_in_in_a_real_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    b.goto(&app.url("/register"));
    assert_eq!(b.h1(), "Rejestracja instytucji");
    // Sending the empty form shows the errors, and the error page is accessible too.
    b.press("Zarejestruj");
    assert!(b.text().contains("Popraw następujące błędy"));
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the registration errors:\n{}",
        v.join("\n")
    );

    b.fill("Nazwa instytucji", "Urząd Gminy Izabelin");
    b.choose("Rodzaj instytucji", "gmina wiejska");
    b.fill("Kod TERYT", "1432022");
    b.fill("Ulica i numer", "ul. 3 Maja 42");
    b.fill("Kod pocztowy", "05-080");
    b.fill("Miejscowość", "Izabelin");
    b.fill("Telefon", "22 721 80 70");
    b.fill("Imię i nazwisko", "Zofia Kamińska");
    b.fill("Adres e-mail", "zofia@izabelin.example");
    b.fill("Hasło", PASSWORD);
    b.fill("Powtórz hasło", PASSWORD);
    b.check("Potwierdzam zapoznanie się");
    b.press("Zarejestruj");
    assert_eq!(b.h1(), "Sprawdź skrzynkę e-mail");

    let link = app
        .smtp
        .wait_nth("zofia@izabelin.example", 1)
        .link(&app.url("/verify?token="));
    b.goto(&link);
    b.press("Potwierdzam adres e-mail");
    assert!(b.url().ends_with("/login"));
    assert!(b.text().contains("Adres e-mail został potwierdzony"));
    ui_login(&b, &app, "zofia@izabelin.example", PASSWORD);
    assert_eq!(b.h1(), "Mój panel");
    assert!(b.text().contains("Urząd Gminy Izabelin"));

    // A wrong password shows the message on the same form, in English too.
    b.press("Wyloguj się");
    b.goto(&app.url("/login?lang=en"));
    b.fill("Email address", "zofia@izabelin.example");
    b.fill("Password", "not the right password");
    b.press("Log in");
    assert!(
        b.text()
            .contains("The email address or password is not correct.")
    );
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the login error:\n{}", v.join("\n"));
}

/// The two-factor pages a GET alone cannot reach, in both languages: the recovery codes (the
/// answer to turning it on), the code step after the password, and that step with an error.
fn two_factor_flow_pages(app: &TestApp) -> Vec<(String, String)> {
    use crate::two_factor::{code_at, secret_on};
    let mut out = Vec::new();
    for lang in ["pl", "en"] {
        let email = format!("2fa-{lang}@gmina.example");
        let c = register_applicant(app, &email, &format!("Urząd Gminy 2FA {lang}")).client;
        let setup = c.get(&format!("/account/two-factor?lang={lang}"));
        let secret = secret_on(&setup);
        let codes = c.submit_on(
            &setup,
            "/account/two-factor",
            &[("code", &code_at(&secret, app.now()))],
        );
        assert_eq!(codes.status, 200, "{}", codes.body);
        out.push((format!("two-factor-codes-{lang}"), codes.body));
        let fresh = app.client();
        let step = fresh.submit(
            &format!("/login?lang={lang}"),
            "/login",
            &[("email", &email), ("password", PASSWORD)],
        );
        assert!(step.url.contains("/login/code"), "{}", step.url);
        let wrong = fresh.submit_on(&step, "/login/code", &[("code", "12")]);
        assert_eq!(wrong.status, 422);
        out.push((format!("two-factor-step-{lang}"), step.body));
        out.push((format!("two-factor-step-error-{lang}"), wrong.body));
    }
    out
}

/// Turning two-factor sign-in on and signing in with it in a real browser, by the labels, with
/// axe-core on each of its pages in both languages.
#[test]
fn two_factor_in_a_real_browser() {
    use crate::two_factor::code_at;
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let email = "mfa@izabelin.example";
    register_applicant(&app, email, "Urząd Gminy Izabelin");
    ui_login(&b, &app, email, PASSWORD);
    let mut failures = Vec::new();
    let mut axe_here = |b: &Browser, what: &str| {
        for v in b.axe(&axe) {
            failures.push(format!("{what}: {v}"));
        }
    };
    b.goto(&app.url("/account/two-factor?lang=en"));
    axe_here(&b, "set-up [en]");
    b.goto(&app.url("/account/two-factor?lang=pl"));
    axe_here(&b, "set-up [pl]");
    assert_eq!(b.h1(), "Logowanie dwuetapowe");
    let source = b.source();
    let start = source.find("class=\"secret\">").unwrap() + 15;
    let secret = source[start..start + source[start..].find("</code>").unwrap()].replace(' ', "");
    b.fill("Kod z aplikacji", "000000");
    b.press("Włącz logowanie dwuetapowe");
    assert!(b.text().contains("Kod jest nieprawidłowy"));
    axe_here(&b, "set-up with an error");
    b.fill("Kod z aplikacji", &code_at(&secret, app.now()));
    b.press("Włącz logowanie dwuetapowe");
    assert_eq!(b.h1(), "Kody zapasowe");
    axe_here(&b, "recovery codes");
    b.press("Wyloguj się");
    b.goto(&app.url("/login?lang=pl"));
    b.fill("Adres e-mail", email);
    b.fill("Hasło", PASSWORD);
    b.press("Zaloguj się");
    assert!(b.url().contains("/login/code"), "{}", b.url());
    axe_here(&b, "code step [pl]");
    b.goto(&app.url("/login/code?lang=en"));
    axe_here(&b, "code step [en]");
    b.goto(&app.url("/login/code?lang=pl"));
    app.advance(chrono::Duration::seconds(30));
    b.fill(
        "Kod z aplikacji lub kod zapasowy",
        &code_at(&secret, app.now()),
    );
    b.check("Zapamiętaj tę przeglądarkę");
    b.press("Zaloguj się");
    assert_eq!(b.h1(), "Mój panel");
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
}

/// axe-core on every page, as each role, in both languages.
#[test]
fn every_page_passes_axe_in_both_languages() {
    let Some((b, axe)) = browser() else { return };
    let Some(site) = prepare(Backend::Sqlite) else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for &who in EVERYONE {
        b.delete_cookies();
        site.browser_login(&b, who);
        for lang in ["pl", "en"] {
            for (w, path) in PAGES.iter().filter(|(w, _)| *w == who) {
                site.browser_open(&b, path, lang);
                checked += 1;
                for v in b.axe(&axe) {
                    failures.push(format!("{w:?} {path} [{lang}]: {v}"));
                }
            }
        }
        // Back to Polish for the next role's labels.
        b.goto(&site.app.url("/?lang=pl"));
    }
    assert_eq!(checked, PAGES.len() * 2);
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
    // The harness itself can fail: a page with an unlabelled field and no language is caught.
    b.goto("data:text/html,<html><body><h1>x</h1><input type=text><img src=a.png></body></html>");
    let v = b.axe(&axe);
    assert!(
        v.iter().any(|x| x.starts_with("label")),
        "axe must catch an unlabelled input: {v:?}"
    );
    assert!(v.iter().any(|x| x.starts_with("html-has-lang")), "{v:?}");
}

/// A phone's width: 390 CSS pixels (a common phone held upright).
const PHONE_WIDTH: u32 = 390;

/// Every page, as each role, in both languages, on a phone: nothing makes the page scroll
/// sideways (a wide table scrolls inside its own container, which the keyboard can reach), and
/// axe-core passes at that width too (it sees scrolling regions the desktop run does not).
#[test]
fn every_page_fits_a_phone_and_passes_axe_there() {
    let Some((b, axe)) = browser() else { return };
    b.phone_viewport(PHONE_WIDTH, 844);
    // The harness itself can fail: a page wider than the phone, and a scrolling box the
    // keyboard cannot reach, are both caught.
    let head = "data:text/html,<html lang=en><head><meta name=viewport content='width=device-width, initial-scale=1'><title>x</title></head><body><main><h1>x</h1>";
    b.goto(&format!(
        "{head}<div style='width:900px'>wide</div></main></body></html>"
    ));
    let (page, viewport) = b.widths();
    assert_eq!(viewport, i64::from(PHONE_WIDTH));
    assert!(page > viewport, "a 900 px page must be caught: {page}");
    b.goto(&format!(
        "{head}<div style='overflow-x:auto'><p style='width:900px;text-align:right'>scrolls</p></div></main></body></html>"
    ));
    assert_eq!(b.widths(), (viewport, viewport));
    let v = b.axe(&axe);
    assert!(
        v.iter()
            .any(|x| x.starts_with("scrollable-region-focusable")),
        "{v:?}"
    );
    let Some(site) = prepare(Backend::Sqlite) else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for &who in EVERYONE {
        b.delete_cookies();
        site.browser_login(&b, who);
        for lang in ["pl", "en"] {
            for (w, path) in PAGES.iter().filter(|(w, _)| *w == who) {
                site.browser_open(&b, path, lang);
                checked += 1;
                let (page, viewport) = b.widths();
                if page > viewport {
                    failures.push(format!(
                        "{w:?} {path} [{lang}]: the page is {page} px wide in a {viewport} px viewport"
                    ));
                }
                for v in b.axe(&axe) {
                    failures.push(format!("{w:?} {path} [{lang}] at {PHONE_WIDTH} px: {v}"));
                }
            }
        }
        b.goto(&site.app.url("/?lang=pl"));
    }
    assert_eq!(checked, PAGES.len() * 2);
    assert!(
        failures.is_empty(),
        "at {PHONE_WIDTH} px:\n{}",
        failures.join("\n")
    );
    b.delete_cookies();
    site.browser_login(&b, Who::Organiser);
    // The organiser on the ranking: its tables' boxes are named regions,
    // reached by Tab while they overflow the phone's width, and out of the tab order at desktop
    // width where they fit.
    let boxes = "return Array.from(document.querySelectorAll('.table-wrap')).map(function (b) \
                 { return [b.getAttribute('role'), b.getAttribute('aria-label'), b.tabIndex, b.scrollWidth > b.clientWidth]; });";
    b.goto(&site.url("/admin/editions/{demo_id}/ranking?lang=pl"));
    let phone = b.eval(boxes);
    let phone = phone.as_array().expect("boxes");
    assert!(!phone.is_empty());
    // The jurors' score tables, and (charts) the tables of the charts' numbers.
    assert!(
        phone.iter().any(|bx| bx[1]
            .as_str()
            .is_some_and(|l| l.starts_with("Wyniki członków jury: VI/"))),
        "{phone:?}"
    );
    for bx in phone {
        assert_eq!(bx[0], "region", "{bx}");
        assert!(bx[1].as_str().is_some_and(|l| !l.trim().is_empty()), "{bx}");
        if bx[3] == true {
            assert_eq!(bx[2], 0, "an overflowing box is in the tab order: {bx}");
        }
    }
    b.desktop_viewport();
    b.goto(&site.url("/admin/editions/{demo_id}/jury?lang=pl"));
    let desktop = b.eval(boxes);
    let fitting: Vec<_> = desktop
        .as_array()
        .expect("boxes")
        .iter()
        .filter(|bx| bx[3] == false)
        .collect();
    assert!(!fitting.is_empty(), "{desktop}");
    for bx in fitting {
        assert_eq!(bx[2], -1, "a box that fits is not a tab stop: {bx}");
    }
}

/// The W3C Nu HTML checker on every page's HTML, as served.
#[test]
fn every_page_is_valid_html() {
    let jar = checker_dir().join("vnu-jar/build/dist/vnu.jar");
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok();
    if !jar.exists() || !java {
        skip_or_fail("the Nu HTML checker (vnu.jar and Java)");
        return;
    }
    let Some(site) = prepare(Backend::Sqlite) else {
        return;
    };
    let clients: Vec<(Who, Client)> = EVERYONE
        .iter()
        .map(|&who| {
            let c = site.app.client();
            if let Some((email, pw)) = site.credentials(who) {
                let p = c.submit("/login", "/login", &[("email", &email), ("password", &pw)]);
                assert_eq!(p.status, 200, "{who:?} cannot log in");
                if who == Who::TwoFactor {
                    let p = c.submit_on(&p, "/login/code", &[("code", &site.next_code())]);
                    assert!(p.url.ends_with("/account"), "{who:?}: {}", p.url);
                }
            }
            (who, c)
        })
        .collect();
    let dir = site.app.dir.join("html");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for lang in ["pl", "en"] {
        for (i, (who, path)) in PAGES.iter().enumerate() {
            let client = &clients.iter().find(|(w, _)| w == who).unwrap().1;
            let page = site.client_open(client, path, lang);
            assert_eq!(
                page.status,
                Site::expected_status(*who, path),
                "{who:?} {path} ({lang}) landed on {}",
                page.url
            );
            let file = dir.join(format!(
                "{lang}-{i:02}-{}.html",
                path.replace(['/', '{', '}', '?', '='], "_")
            ));
            std::fs::write(&file, &page.body).unwrap();
            files.push(file);
        }
    }
    // A form shown again with its errors.
    let errors = clients[0]
        .1
        .submit("/register", "/register", &[("email", "zły")]);
    let file = dir.join("register-errors.html");
    std::fs::write(&file, &errors.body).unwrap();
    files.push(file);
    // The entry list once its call has closed (checkboxes for the formal check) and the bulk
    // confirmation with entries to accept: a state the prepared site has no call in.
    let closed_app = TestApp::spawn(Backend::Sqlite).expect("a second site");
    let k = crate::entry_list::closed_call(&closed_app);
    for lang in ["pl", "en"] {
        for (name, path) in [
            (
                "selectable-list",
                format!(
                    "/admin/editions/{}/entries?status=submitted&sort=title&lang={lang}",
                    k.edition_id
                ),
            ),
            (
                "bulk-confirm",
                format!(
                    "/admin/editions/{}/entries/accept?entry={}&entry={}&lang={lang}",
                    k.edition_id, k.ids[0], k.ids[2]
                ),
            ),
        ] {
            let page = k.org.get(&path);
            assert_eq!(page.status, 200, "{path}");
            let file = dir.join(format!("{lang}-{name}.html"));
            std::fs::write(&file, &page.body).unwrap();
            files.push(file);
        }
    }
    // Two-factor sign-in: the recovery codes shown once and the code step, with its error.
    for (name, body) in two_factor_flow_pages(&site.app) {
        let file = dir.join(format!("{name}.html"));
        std::fs::write(&file, body).unwrap();
        files.push(file);
    }
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(&files)
        .output()
        .expect("run vnu");
    let report =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "HTML errors:\n{report}"
    );
    assert!(files.len() > PAGES.len() * 2, "every page was checked");
    // The checker itself can fail: an invalid document is reported.
    let broken = dir.join("broken.html");
    std::fs::write(&broken, "<!DOCTYPE html><html lang=pl><head><title>x</title></head><body><p><div></span></body></html>").unwrap();
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success(), "vnu must reject a broken document");
}

/// A juror declares, scores by the labels of the criteria; an organiser awards from the ranking.
#[test]
fn score_and_award_in_a_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let j = closed_with_entries(&app);
    let ed = j.edition_id;
    juror(
        &app,
        &j.org,
        ed,
        "Juror Przeglądarkowy",
        "browser@jury.example",
    );
    let jid = id_of_user(&app, "browser@jury.example");
    j.org.submit(
        &format!("/admin/editions/{ed}/jury"),
        &format!("/admin/editions/{ed}/jury/{jid}/categories"),
        &[("category", &j.categories[0].to_string())],
    );
    let token = j.org.get("/account").csrf_for("/logout");
    j.org.post(
        &format!("/admin/editions/{ed}/state"),
        &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
    );

    ui_login(&b, &app, "browser@jury.example", PASSWORD);
    assert_eq!(b.h1(), "Ocena zgłoszeń");
    b.check("Oświadczam, że będę oceniać bezstronnie");
    b.press("Składam deklarację");
    assert!(b.text().contains("Deklaracja została złożona"));
    let a = entry_of(&app, j.titles[0]);
    b.goto(&app.url(&format!("/jury/entries/{a}")));
    // Enter in a score field saves a draft: nothing is submitted or locked.
    b.fill("Innowacyjność", "9");
    b.enter_in("Innowacyjność");
    assert!(b.text().contains("Zapisano"), "{}", b.text());
    let status: String = app.db(|c| {
        use konkurs::db::schema::reviews;
        reviews::table.select(reviews::status).first(c).unwrap()
    });
    assert_eq!(status, "draft");
    // Out of range: the message is on the same form.
    b.fill("Innowacyjność", "12");
    b.press("Sprawdź i wyślij ocenę");
    assert!(
        b.text().contains("Wpisz liczbę całkowitą od 0"),
        "{}",
        b.text()
    );
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the score form's errors:\n{}",
        v.join("\n")
    );
    b.fill("Innowacyjność", "9");
    b.fill("Korzyści dla mieszkańców", "8");
    b.fill("Dostępność i otwartość", "7");
    b.fill("Możliwość upowszechnienia", "6");
    b.fill("Uzasadnienie oceny", "Dobrze udokumentowane wdrożenie.");
    b.press("Sprawdź i wyślij ocenę");
    // The confirmation page says what submitting does; only its button submits.
    assert_eq!(b.h1(), "Wysłać ocenę?");
    assert!(
        b.text().contains("ocena zostanie zablokowana"),
        "{}",
        b.text()
    );
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the confirmation:\n{}", v.join("\n"));
    b.press("Wyślij ocenę");
    assert!(b.text().contains("Ocena została wysłana"), "{}", b.text());
    assert!(b.text().contains("Ocenione: 1 z 3"), "{}", b.text());
    let total: Option<f64> = app.db(|c| {
        use konkurs::db::schema::reviews;
        reviews::table.select(reviews::total).first(c).unwrap()
    });
    assert_eq!(total, Some(9.0 * 2.0 + 8.0 * 2.0 + 7.0 + 6.0));

    // The organiser gives the award from the ranking, by the select's label.
    b.press("Wyloguj się");
    let org_email = "olga@mazovia.example";
    ui_login(&b, &app, org_email, PASSWORD);
    b.goto(&app.url(&format!("/admin/editions/{ed}/ranking")));
    assert_eq!(b.h1(), "Ranking i nagrody");
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the ranking:\n{}", v.join("\n"));
    b.choose(&format!("Nagroda: {}", j.titles[0]), "I miejsce");
    b.press("Zapisz nagrody w kategorii");
    assert!(
        b.text().contains("Nagrody zostały zapisane"),
        "{}",
        b.text()
    );
    let award: String = app.db(|c| {
        use konkurs::db::schema::awards;
        awards::table.select(awards::award).first(c).unwrap()
    });
    assert_eq!(award, "1");
}
#[test]
fn create_and_submit_an_entry_with_an_attachment_in_a_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let org = organiser(&app);
    open_call(&app, &org, "vi-edycja", chrono::Duration::days(14));
    register_applicant(
        &app,
        "ola@bialobrzegi.example",
        "Urząd Miasta i Gminy w Białobrzegach",
    );
    ui_login(&b, &app, "ola@bialobrzegi.example", PASSWORD);
    b.goto(&app.url("/entries/new"));
    assert_eq!(b.h1(), "Nowe zgłoszenie");
    b.check("II — Ponad codzienność");
    b.fill("Nazwa projektu", "Portal e-Mieszkańca");
    b.fill(
        "Streszczenie",
        "Portfel e-Mieszkańca, System Qnet i System 4Parent w jednym miejscu.",
    );
    b.fill(
        "Opis projektu",
        "Mieszkańcy załatwiają sprawy urzędowe przez internet.",
    );
    b.fill(
        "Linki do działającej usługi lub portalu",
        "https://e-mieszkaniec.bialobrzegi.example",
    );
    // Enter in the title saves a draft (the form's first button), never submits.
    b.enter_in("Nazwa projektu");
    assert_eq!(b.h1(), "Edycja zgłoszenia");
    assert!(b.text().contains("Zapisano wersję roboczą"));

    // Attach a file through the file field, found by its label.
    let pdf = app.dir.join("Opis projektu.pdf");
    std::fs::write(&pdf, PDF).unwrap();
    b.fill("Plik", pdf.to_str().unwrap());
    b.press("Dodaj załącznik");
    assert!(b.text().contains("Załącznik został dodany"), "{}", b.text());
    assert!(b.text().contains("Opis projektu.pdf"));
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the entry form:\n{}", v.join("\n"));

    // Submitting without accepting the rules is refused on the same form.
    b.press("Sprawdź i wyślij zgłoszenie");
    assert!(
        b.text().contains("zaakceptuj regulamin konkursu"),
        "{}",
        b.text()
    );
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the entry form's errors:\n{}",
        v.join("\n")
    );
    b.check("Akceptuję regulamin konkursu.");
    b.check("Potwierdzam zapoznanie się z klauzulą");
    b.press("Sprawdź i wyślij zgłoszenie");
    // The confirmation: what happens and where the confirmation goes; only its button sends.
    assert_eq!(b.h1(), "Wysłać zgłoszenie?");
    assert!(b.text().contains("ola@bialobrzegi.example"), "{}", b.text());
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the confirmation:\n{}", v.join("\n"));
    b.press("Wyślij zgłoszenie");
    assert!(
        b.text().contains("Zgłoszenie zostało wysłane"),
        "{}",
        b.text()
    );
    assert_eq!(b.h1(), "Portal e-Mieszkańca");
    let mail = app.smtp.wait_nth("ola@bialobrzegi.example", 2);
    assert_eq!(
        mail.subject,
        "Potwierdzenie wysłania zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”"
    );
    let (status, files): (String, i64) = app.db(|c| {
        use diesel::prelude::*;
        use konkurs::db::schema::{attachments, entries};
        (
            entries::table.select(entries::status).first(c).unwrap(),
            attachments::table.count().get_result(c).unwrap(),
        )
    });
    assert_eq!((status.as_str(), files), ("submitted", 1));
}

/// The first attachment is chosen on the new-entry form itself; an error keeps what was typed.
#[test]
fn first_attachment_on_the_new_entry_form_in_a_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let org = organiser(&app);
    open_call(&app, &org, "vi-edycja", chrono::Duration::days(14));
    register_applicant(&app, "ela@grojec.example", "Urząd Gminy i Miasta Grójec");
    ui_login(&b, &app, "ela@grojec.example", PASSWORD);
    let pdf = app.dir.join("Opis wdrożenia.pdf");
    std::fs::write(&pdf, PDF).unwrap();

    // No category chosen: the form comes back with the title kept and the summary naming the
    // field; the file has to be chosen again, as the hint says.
    b.goto(&app.url("/entries/new"));
    b.fill("Nazwa projektu", "e-Grójec");
    b.fill("Załącznik", pdf.to_str().unwrap());
    b.press("Zapisz wersję roboczą");
    assert!(b.text().contains("Kategoria: "), "{}", b.text());
    assert!(b.source().contains("value=\"e-Grójec\""));
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the new entry's errors:\n{}",
        v.join("\n")
    );

    b.check("II — Ponad codzienność");
    b.fill("Załącznik", pdf.to_str().unwrap());
    b.press("Zapisz wersję roboczą");
    assert_eq!(b.h1(), "Edycja zgłoszenia");
    assert!(b.text().contains("Opis wdrożenia.pdf"), "{}", b.text());
    let files: Vec<String> = app.db(|c| {
        use diesel::prelude::*;
        use konkurs::db::schema::attachments;
        attachments::table
            .select(attachments::original_name)
            .load(c)
            .unwrap()
    });
    assert_eq!(files, vec!["Opis wdrożenia.pdf".to_string()]);
}

// --- Issue 13: the formal check through the list and the juror's running total, in Chromium.

/// The organiser selects entries on the list by their checkboxes' labels, confirms, and goes
/// from entry to entry with "accept and go to the next entry"; axe on each new page.
#[test]
fn bulk_accept_and_next_in_a_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let k = crate::entry_list::closed_call(&app);
    ui_login(&b, &app, "olga@mazovia.example", PASSWORD);
    let list = format!(
        "/admin/editions/{}/entries?status=submitted&sort=title",
        k.edition_id
    );
    for lang in ["en", "pl"] {
        b.goto(&app.url(&format!("{list}&lang={lang}")));
        let v = b.axe(&axe);
        assert!(
            v.is_empty(),
            "axe on the selectable list ({lang}):\n{}",
            v.join("\n")
        );
    }
    b.phone_viewport(390, 844);
    let (doc, view) = b.widths();
    assert!(doc <= view, "the list fits a phone: {doc} > {view}");
    b.desktop_viewport();
    b.check("Zaznacz zgłoszenie");
    b.press("Przyjmij formalnie zaznaczone");
    assert_eq!(b.h1(), "Przyjąć formalnie zaznaczone zgłoszenia?");
    assert!(b.text().contains("Cyfrowy urząd A"), "{}", b.text());
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the bulk confirmation:\n{}",
        v.join("\n")
    );
    b.press("Przyjmij formalnie");
    assert_eq!(b.h1(), "Przyjęcie zaznaczonych zgłoszeń");
    assert!(
        b.text().contains("Przyjęto formalnie jedno zgłoszenie."),
        "{}",
        b.text()
    );
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the bulk result:\n{}", v.join("\n"));
    // Back to the list, which keeps its state, then B's page and accept-and-next to C.
    b.goto(&app.url(&format!(
        "/admin/entries/{}?status=submitted&sort=title",
        k.ids[1]
    )));
    assert!(b.text().contains("Następne zgłoszenie"), "{}", b.text());
    b.press("Przyjmij formalnie i przejdź do następnego");
    assert!(
        b.url()
            .contains(&format!("/admin/entries/{}?status=submitted", k.ids[2])),
        "{}",
        b.url()
    );
    assert!(
        b.text().contains("Decyzja została zapisana"),
        "{}",
        b.text()
    );
    let accepted: i64 = app.db(|c| {
        use konkurs::db::schema::entries;
        entries::table
            .filter(entries::status.eq("accepted"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(accepted, 2);
}

/// The juror's score form shows the weighted total while they type (app.js), announced
/// politely; the saved total stays the server's; previous / next lead through their list.
#[test]
fn live_total_in_a_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let j = closed_with_entries(&app);
    let ed = j.edition_id;
    juror(&app, &j.org, ed, "Juror Sumujący", "sum@jury.example");
    let jid = id_of_user(&app, "sum@jury.example");
    j.org.submit(
        &format!("/admin/editions/{ed}/jury"),
        &format!("/admin/editions/{ed}/jury/{jid}/categories"),
        &[("category", &j.categories[0].to_string())],
    );
    let token = j.org.get("/account").csrf_for("/logout");
    j.org.post(
        &format!("/admin/editions/{ed}/state"),
        &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
    );
    ui_login(&b, &app, "sum@jury.example", PASSWORD);
    b.check("Oświadczam, że będę oceniać bezstronnie");
    b.press("Składam deklarację");
    let a = entry_of(&app, j.titles[0]);
    b.goto(&app.url(&format!("/jury/entries/{a}")));
    let live = || {
        b.eval("var o = document.getElementById('live-total'); return o ? o.textContent : null;")
    };
    assert_eq!(
        b.eval("return document.getElementById('live-total').getAttribute('aria-live');"),
        serde_json::json!("polite")
    );
    assert_eq!(live(), serde_json::json!("0"));
    b.fill("Innowacyjność", "9");
    assert_eq!(live(), serde_json::json!("18"));
    b.fill("Korzyści dla mieszkańców", "8");
    b.fill("Dostępność i otwartość", "7");
    b.fill("Możliwość upowszechnienia", "6");
    assert_eq!(live(), serde_json::json!("47"));
    assert!(
        b.text()
            .contains("Wynik ważony z wpisanych punktów (przed zapisaniem): 47")
    );
    b.fill("Innowacyjność", "12");
    assert_eq!(live(), serde_json::json!("—"));
    b.fill("Innowacyjność", "9");
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the form with its total:\n{}",
        v.join("\n")
    );
    b.enter_in("Innowacyjność");
    assert!(b.text().contains("Zapisano"), "{}", b.text());
    // After saving, the page shows the stored points, and the running total agrees.
    assert_eq!(live(), serde_json::json!("47"));
    // "Portal map A" is last in the juror's list by title: a previous link, no next.
    assert!(b.text().contains("Poprzednie zgłoszenie"), "{}", b.text());
    assert!(!b.text().contains("Następne zgłoszenie"), "{}", b.text());
    // In English, with a decimal point; without the script's output the page is the server's.
    b.goto(&app.url(&format!("/jury/entries/{a}?lang=en")));
    assert!(
        b.text()
            .contains("Weighted total of the points typed (before saving): 47")
    );
    b.goto(&app.url(&format!("/jury/entries/{a}?lang=pl")));
}
// --- end issue 13

// charts
/// The announcement's progress follows the outbox by itself while a message is queued: the
/// script polls the JSON endpoint and updates the bar, the table and the live sentence.
#[test]
fn announcement_progress_updates_itself_in_a_browser() {
    use konkurs::db::outbox::{self, NewMessage, OutboxStatus};
    use konkurs::db::schema::outbox as o;
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let cfg = app.state.config.clone();
    let demo = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads");
    let ed: i32 = app.db(|c| {
        konkurs::db::editions::find_by_slug(c, &demo.slug)
            .unwrap()
            .unwrap()
            .id
    });
    let now = app.now();
    // A message to the press waiting for its next attempt.
    let id = app.db(|c| {
        c.transaction::<_, diesel::result::Error, _>(|c| {
            let id = outbox::insert(
                c,
                &NewMessage {
                    kind: "announcement_press".into(),
                    to_email: "agencja@prasa.example".into(),
                    to_name: String::new(),
                    subject: "Wyniki".into(),
                    body_text: "Wyniki konkursu".into(),
                    body_html: String::new(),
                    user_id: None,
                    institution_id: None,
                },
                now,
            )?;
            diesel::update(o::table.find(id))
                .set(o::next_attempt_at.eq(now + chrono::Duration::days(1)))
                .execute(c)?;
            Ok(id)
        })
        .unwrap()
    });
    ui_login(&b, &app, ORGANISER, &demo.password);
    b.goto(&app.url(&format!("/admin/editions/{ed}/announce?lang=pl")));
    assert!(
        b.text()
            .contains("Wysłane: 0 z 1. W kolejce: 1. Nieudane: 0."),
        "{}",
        b.text()
    );
    // With the script, the refresh link gives way to the updates.
    assert_eq!(
        b.eval("return document.querySelector('.progress-refresh').hidden;"),
        serde_json::Value::Bool(true)
    );
    let violations = b.axe(&axe);
    assert!(violations.is_empty(), "{violations:?}");
    // The message goes out; the page follows without a reload.
    app.db(|c| {
        diesel::update(o::table.find(id))
            .set((o::status.eq(OutboxStatus::Sent), o::sent_at.eq(Some(now))))
            .execute(c)
            .unwrap()
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !b
        .text()
        .contains("Wysłane: 1 z 1. W kolejce: 0. Nieudane: 0.")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the page did not follow: {}",
            b.text()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(
        b.eval("return document.getElementById('progress-press').value;"),
        serde_json::json!(1)
    );
    assert_eq!(
        b.eval("return document.querySelector('[data-cell=\"press-queued\"]').textContent;"),
        serde_json::json!("0")
    );
    assert_eq!(
        b.eval("return document.getElementById('progress-text').getAttribute('aria-live');"),
        serde_json::json!("polite")
    );
}
// end charts
