//! Forms that say what is wrong (the error summary names each field and links to it; date
//! fields say which date and what is expected), reference numbers, budgets, awards (issue 10).

use std::sync::Barrier;

use chrono::Duration;

use crate::both_backends;
use crate::support::{
    TestApp, confirm, entry_form, open_call, organiser, pairs, register_applicant,
};

/// The `<li>` items of the error summary, as (link target, text).
fn summary(body: &str) -> Vec<(String, String)> {
    let start = body
        .find("id=\"error-summary\"")
        .expect("the page has an error summary");
    let end = start + body[start..].find("</ul>").unwrap();
    body[start..end]
        .split("<li>")
        .skip(1)
        .map(|li| {
            let li = li.split("</li>").next().unwrap();
            match li.strip_prefix("<a href=\"") {
                Some(rest) => {
                    let (href, text) = rest.split_once("\">").unwrap();
                    (href.to_string(), text.trim_end_matches("</a>").to_string())
                }
                None => (String::new(), li.to_string()),
            }
        })
        .collect()
}

both_backends!(empty_registration_names_each_field, |app: TestApp| {
    let c = app.client();
    let fields = [
        "institution_name",
        "kind",
        "teryt",
        "street",
        "postal_code",
        "city",
        "phone",
        "name",
        "email",
        "password",
        "password_confirm",
    ];
    let empty: Vec<(&str, &str)> = fields.iter().map(|f| (*f, "")).collect();
    let page = c.submit("/register", "/register", &empty);
    assert_eq!(page.status, 422);
    let items = summary(&page.body);
    let find = |id: &str| {
        items
            .iter()
            .find(|(href, _)| href == &format!("#f-{id}"))
            .unwrap_or_else(|| panic!("no summary link to #f-{id}: {items:?}"))
            .1
            .clone()
    };
    assert_eq!(
        find("institution_name"),
        "Nazwa instytucji: to pole jest wymagane."
    );
    assert_eq!(find("email"), "Adres e-mail: to pole jest wymagane.");
    assert!(find("kind").starts_with("Rodzaj instytucji: "));
    assert!(find("consent").starts_with("Informacja o przetwarzaniu danych osobowych: "));
    // Each link's target exists, and no two lines are the same message.
    for (href, text) in &items {
        assert!(!href.is_empty(), "a summary line without a link: {text}");
        assert!(
            page.body.contains(&format!("id=\"{}\"", &href[1..])),
            "{href} is not on the page"
        );
    }
    let mut texts: Vec<&String> = items.iter().map(|(_, t)| t).collect();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), items.len(), "repeated lines: {items:?}");

    // The same in English.
    let page = c.submit("/register?lang=en", "/register", &empty);
    assert_eq!(page.status, 422);
    let items = summary(&page.body);
    assert!(
        items.contains(&(
            "#f-institution_name".to_string(),
            "Name of the institution: this field is required.".to_string()
        )),
        "{items:?}"
    );
});

both_backends!(edition_dates_say_which_and_how, |app: TestApp| {
    let org = organiser(&app);
    let form = org.get("/admin/editions/new");
    // The hint next to each date matches what the Polish picker shows.
    form.assert_contains("w formacie DD.MM.RRRR, GG:MM");
    // In English too the hint says the format, not "your browser's format".
    let en = org.get("/admin/editions/new?lang=en");
    en.assert_contains(
        "Day, month, year and time in Polish time (Europe/Warsaw), for example 15.03.2027, 23:59.",
    );
    en.assert_not_contains("browser’s format");
    org.get("/admin/editions/new?lang=pl");
    let page = org.submit(
        "/admin/editions/new",
        "/admin/editions/new",
        &[
            ("template", "model"),
            ("name", "VII edycja"),
            ("name_en", "7th edition"),
            ("year", "2027"),
            ("slug", "vii-edycja"),
            ("opens_at", "2027-02-01T10:00"),
            ("closes_at", "jutro"),
            ("judging_deadline", ""),
            ("entries_per_category", "1"),
            ("rules", "Regulamin"),
            ("rules_en", "Rules"),
        ],
    );
    assert_eq!(page.status, 422);
    let items = summary(&page.body);
    assert!(
        items.contains(&(
            "#f-closes_at".to_string(),
            "Termin składania zgłoszeń: podaj datę i godzinę w formacie DD.MM.RRRR, GG:MM, np. 15.03.2027, 23:59."
                .to_string()
        )),
        "{items:?}"
    );
    assert!(
        items.iter().any(|(h, t)| h == "#f-judging_deadline"
            && t.contains(": podaj datę i godzinę w formacie DD.MM.RRRR, GG:MM")),
        "{items:?}"
    );
    // What was typed stays in the field.
    page.assert_contains("value=\"jutro\"");

    // The date as the Polish picker shows it is accepted too (a browser without a picker).
    let page = org.submit(
        "/admin/editions/new",
        "/admin/editions/new",
        &[
            ("template", "model"),
            ("name", "VII edycja"),
            ("name_en", "7th edition"),
            ("year", "2027"),
            ("slug", "vii-edycja"),
            ("opens_at", "01.02.2027, 10:00"),
            ("closes_at", "15.03.2027 23:59"),
            ("judging_deadline", "30.04.2027, 23:59"),
            ("entries_per_category", "1"),
            ("rules", "Regulamin"),
            ("rules_en", "Rules"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("15.03.2027");
});

fn entry_id_of(app: &TestApp, title: &str) -> i32 {
    use diesel::prelude::*;
    use konkurs::db::schema::entries;
    let title = title.to_string();
    app.db(move |c| {
        entries::table
            .filter(entries::title.eq(title))
            .select(entries::id)
            .first(c)
            .unwrap()
    })
}

both_backends!(
    reference_numbers_and_budgets_are_shown_to_everybody,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi-edycja", Duration::days(14));
        let cat2 = call.categories[1];
        let anna = register_applicant(&app, "anna@piaseczno.example", "Gmina Piaseczno");
        let jan = register_applicant(&app, "jan@michalowice.example", "Gmina Michałowice");

        // A draft has no number yet.
        let form = anna.client.get("/entries/new");
        let draft = entry_form(cat2, "Mapy gminy", &[("action", "save")]);
        let saved = anna.client.submit_on(&form, "/entries/new", &pairs(&draft));
        assert_eq!(saved.status, 200, "{}", saved.body);
        let anna_id = entry_id_of(&app, "Mapy gminy");
        let page = anna.client.get(&format!("/entries/{anna_id}"));
        page.assert_contains("Numer zgłoszenia");
        page.assert_contains("nadawany przy wysłaniu");

        // Jan submits first: 001 in category II; Anna's submission is 002.
        let form = jan.client.get("/entries/new");
        let review = jan.client.submit_on(
            &form,
            "/entries/new",
            &pairs(&entry_form(cat2, "E-usługi", &[])),
        );
        let done = confirm(&jan.client, review);
        assert_eq!(done.status, 200, "{}", done.body);
        let jan_id = entry_id_of(&app, "E-usługi");
        let review = anna.client.submit(
            &format!("/entries/{anna_id}/edit"),
            &format!("/entries/{anna_id}/edit"),
            &pairs(&entry_form(cat2, "Mapy gminy", &[])),
        );
        let done = confirm(&anna.client, review);
        assert_eq!(done.status, 200, "{}", done.body);
        let stored: Vec<(i32, Option<i32>, Option<String>)> = app.db(|c| {
            use diesel::prelude::*;
            use konkurs::db::schema::entries;
            entries::table
                .order(entries::id)
                .select((entries::id, entries::ref_seq, entries::ref_no))
                .load(c)
                .unwrap()
        });
        assert_eq!(
            stored,
            vec![
                (anna_id, Some(2), Some("VI/II/002".into())),
                (jan_id, Some(1), Some("VI/II/001".into())),
            ]
        );

        // The applicant: dashboard, entry page (with the budget as people write it), print page,
        // the confirmation email.
        anna.client.get("/account").assert_contains("VI/II/002");
        let page = anna.client.get(&format!("/entries/{anna_id}"));
        page.assert_contains("<dd class=\"reference\">VI/II/002</dd>");
        // Where the amount is shown with its unit, the label does not repeat it.
        page.assert_contains("<dt>Budżet projektu</dt><dd>480\u{a0}000,00\u{a0}zł</dd>");
        let en = anna.client.get(&format!("/entries/{anna_id}?lang=en"));
        en.assert_contains("<dt>Project budget</dt><dd>PLN\u{a0}480,000.00</dd>");
        en.assert_contains("Reference number");
        anna.client
            .get(&format!("/entries/{anna_id}/print?lang=pl"))
            .assert_contains("VI/II/002");
        let mail = app
            .smtp
            .wait_subject_containing("anna@piaseczno.example", "Potwierdzenie");
        assert!(mail.text.contains("VI/II/002"), "{}", mail.text);

        // Submitting again (still in the call) keeps the number.
        let again = anna.client.submit(
            &format!("/entries/{anna_id}/edit"),
            &format!("/entries/{anna_id}/edit"),
            &pairs(&entry_form(cat2, "Mapy gminy 2.0", &[("action", "save")])),
        );
        assert_eq!(again.status, 200, "{}", again.body);
        anna.client
            .get(&format!("/entries/{anna_id}"))
            .assert_contains("VI/II/002");

        // The organiser: the list, the entry, the CSV export.
        let e = call.edition_id;
        let list = org.get(&format!("/admin/editions/{e}/entries"));
        list.assert_contains("VI/II/001");
        list.assert_contains("VI/II/002");
        org.get(&format!("/admin/entries/{jan_id}"))
            .assert_contains("VI/II/001");
        let csv = org.get(&format!("/admin/editions/{e}/entries.csv"));
        assert_eq!(csv.status, 200);
        csv.assert_contains("VI/II/002");
        csv.assert_contains("480000,00");
    }
);

both_backends!(parallel_submissions_get_distinct_numbers, |app: TestApp| {
    const N: usize = 5;
    let org = organiser(&app);
    let call = open_call(&app, &org, "vi-edycja", Duration::days(14));
    let cat = call.categories[0];
    let applicants: Vec<_> = (0..N)
        .map(|i| {
            register_applicant(
                &app,
                &format!("sekretariat{i}@gmina{i}.example"),
                &format!("Gmina numer {i}"),
            )
        })
        .collect();
    let forms: Vec<_> = applicants
        .iter()
        .map(|a| a.client.get("/entries/new"))
        .collect();
    let start = Barrier::new(N);
    let pages: Vec<_> = std::thread::scope(|s| {
        let running: Vec<_> = applicants
            .iter()
            .zip(&forms)
            .enumerate()
            .map(|(i, (a, form))| {
                let start = &start;
                s.spawn(move || {
                    // Each saves a draft and opens the confirmation; the confirmations (the
                    // actual submissions) go at once.
                    let fields = entry_form(cat, &format!("Projekt {i}"), &[]);
                    let review = a.client.submit_on(form, "/entries/new", &pairs(&fields));
                    start.wait();
                    confirm(&a.client, review)
                })
            })
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for p in &pages {
        assert_eq!(p.status, 200, "{}", p.body);
    }
    let mut numbers: Vec<String> = app.db(|c| {
        use diesel::prelude::*;
        use konkurs::db::schema::entries;
        entries::table
            .select(entries::ref_no.assume_not_null())
            .load(c)
            .unwrap()
    });
    numbers.sort();
    let expected: Vec<String> = (1..=N).map(|i| format!("VI/I/{i:03}")).collect();
    assert_eq!(numbers, expected);
});

/// Posts an edition's change of state as the organiser's button does.
fn to_state(org: &crate::support::Client, ed: i32, to: &str) {
    let token = org.get("/account").csrf_for("/logout");
    let p = org.post(
        &format!("/admin/editions/{ed}/state"),
        &[("csrf", &token), ("to", to), ("confirm", "yes")],
    );
    assert_eq!(p.status, 200, "{}", p.body);
}

both_backends!(
    mentions_keep_the_organisers_order_and_applicants_see_their_award,
    |app: TestApp| {
        use crate::support::judging::{closed_with_entries, entry_of};
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let [a, b, c_, d] = j.titles.map(|t| entry_of(&app, t));
        to_state(org, ed, "judging");

        // Three mentions in category I, ordered B, A, then C (no number): not alphabetical.
        let ranking_url = format!("/admin/editions/{ed}/ranking");
        let ranking = org.get(&ranking_url);
        ranking.assert_contains("Kolejność wyróżnienia");
        ranking.assert_contains("<span class=\"reference\">VI/I/002</span>");
        let awards_url = format!("/admin/editions/{ed}/awards/{}", j.categories[0]);
        let bad = org.submit(
            &ranking_url,
            &awards_url,
            &[
                (&format!("award-{a}") as &str, "mention"),
                (&format!("order-{a}"), "drugie"),
                (&format!("award-{b}"), "mention"),
                (&format!("order-{b}"), "1"),
                (&format!("award-{c_}"), "mention"),
                (&format!("order-{c_}"), ""),
            ],
        );
        assert_eq!(bad.status, 422);
        bad.assert_contains("Kolejność wyróżnienia (Portal map A): podaj liczbę od 1 do 999");
        bad.assert_contains("value=\"drugie\"");
        org.submit(
            &ranking_url,
            &awards_url,
            &[
                (&format!("award-{a}") as &str, "mention"),
                (&format!("order-{a}"), "2"),
                (&format!("award-{b}"), "mention"),
                (&format!("order-{b}"), "1"),
                (&format!("award-{c_}"), "mention"),
                (&format!("order-{c_}"), ""),
            ],
        )
        .assert_contains("Nagrody zostały zapisane");
        org.submit(
            &ranking_url,
            &format!("/admin/editions/{ed}/awards/{}", j.categories[1]),
            &[(&format!("award-{d}") as &str, "1")],
        )
        .assert_contains("Nagrody zostały zapisane");
        let positions: Vec<(i32, i32)> = app.db(|c| {
            use diesel::prelude::*;
            use konkurs::db::schema::awards;
            awards::table
                .order(awards::entry_id)
                .select((awards::entry_id, awards::position))
                .load(c)
                .unwrap()
        });
        assert_eq!(positions, vec![(a, 2), (b, 1), (c_, 3), (d, 0)]);
        let ranking = org.get(&ranking_url);
        ranking.assert_contains(&format!("name=\"order-{a}\" value=\"2\""));
        ranking.assert_contains(&format!("name=\"order-{c_}\" value=\"3\""));

        confirm(
            org,
            org.get(&format!("/admin/editions/{ed}/protocol/finalise")),
        )
        .assert_contains("Protokół został zatwierdzony");
        to_state(org, ed, "published");

        let in_order = |body: &str, what: &str| {
            let pos = |t: &str| {
                body.find(t)
                    .unwrap_or_else(|| panic!("{t} not in {what}: {body}"))
            };
            assert!(
                pos("Geoportal B") < pos("Portal map A")
                    && pos("Portal map A") < pos("Dane przestrzenne C"),
                "mentions out of order in {what}: {body}"
            );
        };
        let anon = app.client();
        in_order(&anon.get("/editions/vi/results").body, "the results page");
        in_order(&anon.get("/editions/vi/results.csv").body, "the CSV");
        let json = anon.get("/editions/vi/results.json");
        in_order(&json.body, "the JSON");
        json.assert_contains("\"reference\": \"VI/I/002\"");
        in_order(
            &org.get(&format!("/admin/editions/{ed}/announce")).body,
            "the press snippet",
        );

        // Each applicant sees the award on the dashboard and the entry page (this edition
        // does not show scores).
        let (ca, _) = &j.applicants[0];
        let dash = ca.get("/account");
        dash.assert_contains("Wynik konkursu: <strong>wyróżnienie</strong>");
        ca.get(&format!("/entries/{a}"))
            .assert_contains("Wynik konkursu: <strong>wyróżnienie</strong>");
        let (cd, _) = &j.applicants[3];
        cd.get(&format!("/entries/{d}"))
            .assert_contains("Wynik konkursu: <strong>I miejsce</strong>");
        cd.get(&format!("/entries/{d}?lang=en"))
            .assert_contains("Competition result: <strong>1st place</strong>");
    }
);

/// Posts `fields` and one file as the browser sends a multipart form (`file` may be empty:
/// no file chosen).
fn post_multipart(
    c: &crate::support::Client,
    action: &str,
    csrf: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> crate::support::Page {
    let boundary = "----konkursFormsBoundary0x7d3a";
    let mut body = Vec::new();
    for (k, v) in std::iter::once(&("csrf", csrf)).chain(fields.iter()) {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n", file.0).as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    c.post_raw(
        action,
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    )
}

both_backends!(
    a_new_entry_takes_its_first_attachment_on_the_same_form,
    |app: TestApp| {
        use crate::support::PDF;
        use diesel::prelude::*;
        use konkurs::db::schema::{attachments, entries};
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi-edycja", Duration::days(14));
        let reg = register_applicant(&app, "anna@piaseczno.example", "Gmina Piaseczno");
        let c = &reg.client;
        let form = c.get("/entries/new");
        form.assert_contains("enctype=\"multipart/form-data\"");
        form.assert_contains("name=\"file\"");
        let csrf = form.csrf_for("/entries/new");
        let fields = entry_form(
            call.categories[0],
            "Mapy „gminy” & dane",
            &[("action", "save")],
        );
        let fields = pairs(&fields);

        // A file that is not a document: nothing is stored, everything typed stays.
        let refused = post_multipart(
            c,
            "/entries/new",
            &csrf,
            &fields,
            ("wirus.pdf", b"MZ\x90\x00 not a pdf"),
        );
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.has_field_error("file"));
        refused.assert_contains("Załącznik: ten plik nie jest dokumentem PDF");
        refused.assert_contains("value=\"Mapy „gminy” &#38; dane\"");
        refused.assert_contains("Budżet gminy");
        let n: i64 = app.db(|c| entries::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);

        // A field error with a good file: nothing stored either; the typed text stays.
        let mut missing = fields.clone();
        missing.retain(|(k, _)| *k != "category_id");
        let refused = post_multipart(c, "/entries/new", &csrf, &missing, ("opis.pdf", PDF));
        assert_eq!(refused.status, 422, "{}", refused.body);
        refused.assert_contains("Kategoria: ");
        refused.assert_contains("Portal map i danych przestrzennych gminy");
        let n: i64 = app.db(|c| attachments::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);

        // Both right: the draft and its attachment in one go.
        let saved = post_multipart(
            c,
            "/entries/new",
            &csrf,
            &fields,
            ("opis projektu.pdf", PDF),
        );
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert!(saved.url.ends_with("/edit"), "{}", saved.url);
        saved.assert_contains("opis projektu.pdf");
        let stored: Vec<(String, i64)> = app.db(|c| {
            attachments::table
                .select((attachments::original_name, attachments::size_bytes))
                .load(c)
                .unwrap()
        });
        assert_eq!(
            stored,
            vec![("opis projektu.pdf".to_string(), PDF.len() as i64)]
        );
        let title: String = app.db(|c| entries::table.select(entries::title).first(c).unwrap());
        assert_eq!(title, "Mapy „gminy” & dane");

        // No file chosen (an empty file part) is fine too.
        let reg2 = register_applicant(&app, "jan@michalowice.example", "Gmina Michałowice");
        let form = reg2.client.get("/entries/new");
        let csrf = form.csrf_for("/entries/new");
        let saved = post_multipart(&reg2.client, "/entries/new", &csrf, &fields, ("", b""));
        assert_eq!(saved.status, 200, "{}", saved.body);
        let n: i64 = app.db(|c| entries::table.count().get_result(c).unwrap());
        assert_eq!(n, 2);
    }
);
