//! Applicants' entries and the organisers' formal check, on both backends.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{attachments, audit_log, entries};

use crate::both_backends;
use crate::support::{
    PDF, TestApp, entry_form, open_call, organiser, pairs, register_applicant, warsaw,
};

fn entry_ids(app: &TestApp) -> Vec<i32> {
    app.db(|c| {
        entries::table
            .order(entries::id)
            .select(entries::id)
            .load(c)
            .unwrap()
    })
}

fn stored_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.dir.join("uploads"))
        .map(|d| d.flatten().filter(|e| e.path().is_file()).count())
        .unwrap_or(0)
}

fn temp_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.dir.join("uploads/tmp"))
        .map(std::iter::Iterator::count)
        .unwrap_or(0)
}

both_backends!(
    an_entry_is_drafted_then_submitted_with_an_attachment_and_confirmed,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi-edycja", Duration::days(14));
        let reg = register_applicant(
            &app,
            "anna@piaseczno.example",
            "Urząd Miasta i Gminy Piaseczno",
        );
        let c = &reg.client;

        // The dashboard offers the call with its deadline.
        let dash = c.get("/account");
        dash.assert_contains("Dodaj zgłoszenie");
        dash.assert_contains("pozostało:");

        // A draft needs only a title; the form shows the time left.
        let form = c.get("/entries/new");
        form.assert_contains("Termin składania zgłoszeń");
        form.assert_contains("pozostało: 13 dni");
        // The date fields say the format before any error; the budget field says the unit,
        // since the input is a bare number.
        form.assert_contains(
            "<p class=\"hint\" id=\"f-started_on-hint\">Format DD.MM.RRRR, np. 15.03.2026.</p>",
        );
        form.assert_contains(
            "<p class=\"hint\" id=\"f-launched_on-hint\">Format DD.MM.RRRR, np. 15.03.2026.</p>",
        );
        form.assert_contains("Budżet projektu w złotych");
        let en_form = c.get("/entries/new?lang=en");
        en_form.assert_contains("Day, month and year, for example 15.03.2026.");
        en_form.assert_contains("Project budget in PLN");
        c.get("/entries/new?lang=pl");
        let draft = entry_form(
            call.categories[0],
            "Portale informacji przestrzennej",
            &[("summary", ""), ("description", ""), ("action", "save")],
        );
        let saved = c.submit_on(&form, "/entries/new", &pairs(&draft));
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert!(saved.url.ends_with("/edit"), "{}", saved.url);
        saved.assert_contains("Zapisano wersję roboczą");
        let id = entry_ids(&app)[0];
        let status: String = app.db(|c| {
            entries::table
                .find(id)
                .select(entries::status)
                .first(c)
                .unwrap()
        });
        assert_eq!(status, "draft");

        // Submitting an incomplete entry lists what is missing, linked to the fields.
        let incomplete = c.submit(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/edit"),
            &pairs(&entry_form(
                call.categories[0],
                "Portale informacji przestrzennej",
                &[("summary", ""), ("accepted_rules", "")],
            )),
        );
        assert_eq!(incomplete.status, 422);
        assert!(incomplete.has_field_error("summary"));
        assert!(incomplete.has_field_error("accepted_rules"));
        incomplete.assert_contains("value=\"Portale informacji przestrzennej\"");

        // An attachment: stored under a generated name, downloadable with its own name.
        let up = c.upload(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments"),
            "Opis wdrożenia.pdf",
            PDF,
        );
        assert_eq!(up.status, 200, "{}", up.body);
        up.assert_contains("Załącznik został dodany");
        up.assert_contains("Opis wdrożenia.pdf");
        let (aid, stored, ctype, size): (i32, String, String, i64) = app.db(|c| {
            attachments::table
                .select((
                    attachments::id,
                    attachments::stored_name,
                    attachments::content_type,
                    attachments::size_bytes,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!(ctype, "application/pdf");
        assert_eq!(size, PDF.len() as i64);
        assert!(!stored.contains("Opis"), "generated name: {stored}");
        assert_eq!(
            std::fs::read(app.dir.join("uploads").join(&stored)).unwrap(),
            PDF
        );
        assert_eq!(temp_files(&app), 0);
        let file = c.get(&format!("/entries/{id}/attachments/{aid}"));
        assert_eq!(file.status, 200);
        assert_eq!(file.header("content-type"), Some("application/pdf"));
        let disposition = file.header("content-disposition").unwrap();
        assert!(
            disposition.starts_with("attachment;")
                && disposition.contains("filename*=UTF-8''Opis%20wdro%C5%BCenia.pdf"),
            "{disposition}"
        );
        assert_eq!(file.body.as_bytes(), PDF);
        // Sent as stored to a browser too: PDFs and images gain nothing from gzip but its cost.
        let as_browser = c
            .agent
            .get(c.abs(&format!("/entries/{id}/attachments/{aid}")))
            .header("Accept-Encoding", "gzip, deflate, br, zstd")
            .call()
            .unwrap();
        assert_eq!(as_browser.headers().get("content-encoding"), None);
        assert_eq!(as_browser.into_body().read_to_vec().unwrap(), PDF);

        // "Review and submit" saves and shows the confirmation page: what will happen, to whom.
        let review = c.submit(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/edit"),
            &pairs(&entry_form(
                call.categories[0],
                "Portale informacji przestrzennej",
                &[],
            )),
        );
        assert!(
            review.url.ends_with(&format!("/entries/{id}/submit")),
            "{}",
            review.url
        );
        review.assert_contains("Wysłać zgłoszenie?");
        review.assert_contains("anna@piaseczno.example");
        review.assert_contains("Liczba załączników");
        let status: String = app.db(|c| {
            entries::table
                .find(id)
                .select(entries::status)
                .first(c)
                .unwrap()
        });
        assert_eq!(
            status, "draft",
            "nothing is submitted before the confirmation"
        );
        // Submit: a confirmation email with the summary and a link.
        let done = crate::support::submit_entry(
            c,
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/edit"),
            &pairs(&entry_form(
                call.categories[0],
                "Portale informacji przestrzennej",
                &[],
            )),
        );
        assert!(
            done.url.ends_with(&format!("/entries/{id}")),
            "{}",
            done.url
        );
        done.assert_contains("Zgłoszenie zostało wysłane");
        done.assert_contains("wysłane");
        let (status, submitted_at): (String, Option<chrono::NaiveDateTime>) = app.db(|c| {
            entries::table
                .find(id)
                .select((entries::status, entries::submitted_at))
                .first(c)
                .unwrap()
        });
        assert_eq!(status, "submitted");
        assert!(submitted_at.is_some());
        let mail = app.smtp.wait_nth("anna@piaseczno.example", 2);
        assert_eq!(
            mail.subject,
            "Potwierdzenie wysłania zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        assert!(
            mail.text.contains("Portale informacji przestrzennej"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("I „Poza horyzonty”"), "{}", mail.text);
        assert!(
            mail.text.contains(&app.url(&format!("/entries/{id}"))),
            "{}",
            mail.text
        );

        // Until the deadline it can still be edited (staying submitted) and withdrawn.
        let edit = c.get(&format!("/entries/{id}/edit"));
        edit.assert_contains("Zapisz zmiany");
        let changed = c.submit_on(
            &edit,
            &format!("/entries/{id}/edit"),
            &pairs(&entry_form(
                call.categories[0],
                "Portale informacji przestrzennej gminy",
                &[("action", "save")],
            )),
        );
        changed.assert_contains("Zapisano zmiany");
        let title: String = app.db(|c| {
            entries::table
                .find(id)
                .select(entries::title)
                .first(c)
                .unwrap()
        });
        assert_eq!(title, "Portale informacji przestrzennej gminy");
        // The printable view.
        let print = c.get(&format!("/entries/{id}/print"));
        print.assert_contains("print.css");
        print.assert_contains("Urząd Miasta i Gminy Piaseczno");
        // The dashboard lists it.
        c.get("/account")
            .assert_contains("Portale informacji przestrzennej gminy");
        // Withdrawing goes through its confirmation page (no JavaScript needed); a POST without
        // its button withdraws nothing.
        let withdraw = format!("/entries/{id}/withdraw");
        c.get(&format!("/entries/{id}"))
            .assert_contains(&format!("href=\"{withdraw}\""));
        let token = c.get("/account").csrf_for("/logout");
        let unconfirmed = c.post(&withdraw, &[("csrf", &token)]);
        assert!(unconfirmed.url.ends_with(&withdraw), "{}", unconfirmed.url);
        unconfirmed.assert_contains("Wycofać zgłoszenie?");
        unconfirmed.assert_contains("Tego kroku nie można cofnąć.");
        c.get(&format!("/entries/{id}"))
            .assert_not_contains("Zgłoszenie zostało wycofane");
        // Withdrawing frees the category.
        let out = crate::support::confirm(c, c.get(&withdraw));
        out.assert_contains("Zgłoszenie zostało wycofane");
        let done = c.get(&withdraw);
        assert_eq!(done.status, 409);
        done.assert_contains("Zgłoszenie zostało już wycofane.");
        // The confirmation sent a second time (a double click): the same notice.
        let again = c.post(&withdraw, &[("csrf", &token), ("confirm", "yes")]);
        assert_eq!(again.status, 200, "{}", again.body);
        again.assert_contains("Zgłoszenie zostało już wycofane.");
        again.assert_not_contains("Termin minął");
        let again = c.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[0], "Nowe podejście", &[])),
        );
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(entry_ids(&app).len(), 2);
    }
);

both_backends!(
    another_institution_gets_404_on_every_entry_url,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let a = register_applicant(&app, "a@gmina-a.example", "Gmina A");
        let b = register_applicant(&app, "b@gmina-b.example", "Gmina B");
        crate::support::submit_entry(
            &a.client,
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[1], "E-usługi A", &[])),
        );
        let id = entry_ids(&app)[0];
        a.client.upload(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments"),
            "a.pdf",
            PDF,
        );
        let aid: i32 = app.db(|c| attachments::table.select(attachments::id).first(c).unwrap());
        let token = b.client.get("/account").csrf_for("/logout");
        for path in [
            format!("/entries/{id}"),
            format!("/entries/{id}/edit"),
            format!("/entries/{id}/print"),
            format!("/entries/{id}/submit"),
            format!("/entries/{id}/attachments/{aid}"),
        ] {
            let p = b.client.get(&path);
            assert_eq!(p.status, 404, "GET {path}");
            p.assert_not_contains("E-usługi A");
        }
        for path in [
            format!("/entries/{id}/edit"),
            format!("/entries/{id}/withdraw"),
            format!("/entries/{id}/submit"),
            format!("/entries/{id}/attachments/{aid}/delete"),
        ] {
            let p = b.client.post(
                &path,
                &[
                    ("csrf", &token),
                    ("title", "Przejęte"),
                    ("category_id", &call.categories[1].to_string()),
                ],
            );
            assert_eq!(p.status, 404, "POST {path}");
        }
        let up = b
            .client
            .upload_with(&format!("/entries/{id}/attachments"), &token, "x.pdf", PDF);
        assert_eq!(up.status, 404);
        // Nothing changed, and B's dashboard does not list A's entry.
        let (title, status): (String, String) = app.db(|c| {
            entries::table
                .find(id)
                .select((entries::title, entries::status))
                .first(c)
                .unwrap()
        });
        assert_eq!(
            (title.as_str(), status.as_str()),
            ("E-usługi A", "submitted")
        );
        let n: i64 = app.db(|c| attachments::table.count().get_result(c).unwrap());
        assert_eq!(n, 1);
        b.client.get("/account").assert_not_contains("E-usługi A");
        // Anonymous visitors are sent to log in; a juror-less forged id is a 404.
        assert_eq!(
            app.client()
                .get_no_redirect(&format!("/entries/{id}"))
                .status,
            303
        );
        assert_eq!(a.client.get("/entries/999999").status, 404);
        assert_eq!(
            a.client
                .get(&format!("/entries/{id}/attachments/999999"))
                .status,
            404
        );
    }
);

both_backends!(
    uploads_are_checked_by_content_size_and_number,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let reg = register_applicant(&app, "pliki@gmina.example", "Gmina Plików");
        let c = &reg.client;
        c.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(
                call.categories[2],
                "Karta Mieszkańca",
                &[("action", "save")],
            )),
        );
        let id = entry_ids(&app)[0];
        let edit = format!("/entries/{id}/edit");
        let action = format!("/entries/{id}/attachments");

        // A program named like a PDF.
        let fake = c.upload(
            &edit,
            &action,
            "raport.pdf",
            b"MZ\x90\x00\x03 this is not a pdf",
        );
        assert_eq!(fake.status, 422);
        assert!(fake.has_field_error("file"));
        fake.assert_contains("sprawdzamy zawartość, nie nazwę");
        // Larger than 10 MB: refused with a message, nothing kept.
        let mut big = PDF.to_vec();
        big.resize(10 * 1024 * 1024 + 1, b'x');
        let large = c.upload(&edit, &action, "duzy.pdf", &big);
        assert_eq!(large.status, 422);
        large.assert_contains("Plik jest za duży");
        // No file chosen.
        let none = c.upload(&edit, &action, "", b"");
        assert_eq!(none.status, 422);
        none.assert_contains("Wybierz plik");
        assert_eq!(stored_files(&app), 0);
        assert_eq!(temp_files(&app), 0);
        let n: i64 = app.db(|c| attachments::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);

        // Each accepted type, up to five files; a real image is recognised whatever its name.
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";
        let jpeg = [
            0xFFu8, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
        ];
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend_from_slice(&[0u8; 26]);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.textPK");
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend_from_slice(&[0u8; 26]);
        docx.extend_from_slice(b"[Content_Types].xml ... word/document.xml");
        for (name, bytes) in [
            ("a.pdf", PDF.to_vec()),
            ("zdjęcie", png.to_vec()),
            ("b.jpg", jpeg.to_vec()),
            ("c.odt", odt.clone()),
            ("d.docx", docx.clone()),
        ] {
            let p = c.upload(&edit, &action, name, &bytes);
            assert_eq!(p.status, 200, "{name}: {}", p.body);
        }
        let names: Vec<(String, String)> = app.db(|c| {
            attachments::table
                .order(attachments::id)
                .select((attachments::original_name, attachments::content_type))
                .load(c)
                .unwrap()
        });
        assert_eq!(
            names[1],
            ("zdjęcie.png".to_string(), "image/png".to_string())
        );
        assert_eq!(
            names[4].1,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        // A sixth is refused; the form is no longer offered.
        let page = c.get(&edit);
        page.assert_contains("najwięcej, ile można dodać");
        let token = page.csrf_for("/logout");
        let sixth = c.upload_with(&action, &token, "f.pdf", PDF);
        assert_eq!(sixth.status, 422);
        sixth.assert_contains("najwyżej 5 załączników");
        assert_eq!(stored_files(&app), 5);
        // Removing one frees a place and deletes the file.
        let aid: i32 = app.db(|c| {
            attachments::table
                .order(attachments::id)
                .select(attachments::id)
                .first(c)
                .unwrap()
        });
        c.submit(
            &edit,
            &format!("/entries/{id}/attachments/{aid}/delete"),
            &[],
        )
        .assert_contains("Załącznik został usunięty");
        assert_eq!(stored_files(&app), 4);
        // Without the form's token an upload stores nothing.
        let forged = c.upload_with(&action, "0000", "g.pdf", PDF);
        assert_eq!(forged.status, 403);
        assert_eq!(stored_files(&app), 4);
        assert_eq!(temp_files(&app), 0);
    }
);

both_backends!(
    limits_categories_and_the_deadline_are_enforced_to_the_second,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let reg = register_applicant(&app, "termin@gmina.example", "Gmina Terminowa");
        let c = &reg.client;
        let first = c.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[0], "Pierwsze", &[])),
        );
        assert_eq!(first.status, 200, "{}", first.body);
        // A second entry in the same category is beyond the limit (1): refused on the category.
        let second = c.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[0], "Drugie", &[])),
        );
        assert_eq!(second.status, 422);
        assert!(second.has_field_error("category_id"));
        second.assert_contains("wykorzystała limit");
        second.assert_contains("value=\"Drugie\"");
        // A category of another edition, or none at all.
        let foreign = c.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(999_999, "Obce", &[])),
        );
        assert_eq!(foreign.status, 422);
        assert!(foreign.has_field_error("category_id"));
        let garbage = c.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(
                0,
                "Bez kategorii",
                &[("category_id", "x'; DROP TABLE entries;--")],
            )),
        );
        assert_eq!(garbage.status, 422);
        assert_eq!(entry_ids(&app).len(), 1);

        // Open the form a second before the deadline and send it a second after.
        let deadline: chrono::NaiveDateTime = app.db(|c| {
            konkurs::db::schema::editions::table
                .find(call.edition_id)
                .select(konkurs::db::schema::editions::closes_at)
                .first(c)
                .unwrap()
        });
        app.advance(deadline - app.now() - Duration::seconds(1));
        let form = c.get("/entries/new");
        form.assert_not_contains("Nabór zgłoszeń jest zamknięty");
        app.advance(Duration::seconds(2));
        let late = c.submit_on(
            &form,
            "/entries/new",
            &pairs(&entry_form(call.categories[1], "Spóźnione", &[])),
        );
        assert_eq!(late.status, 422);
        late.assert_contains("Termin minął");
        assert_eq!(
            entry_ids(&app).len(),
            1,
            "nothing stored after the deadline"
        );
        // The earlier entry is now read-only.
        let id = entry_ids(&app)[0];
        let edit = c.get(&format!("/entries/{id}/edit"));
        assert!(
            edit.url.ends_with(&format!("/entries/{id}")),
            "edit redirects to the read-only page"
        );
        edit.assert_not_contains("Wycofaj zgłoszenie");
        let token = edit.csrf_for("/logout");
        let changed = c.post(
            &format!("/entries/{id}/edit"),
            &[
                ("csrf", &token),
                ("category_id", &call.categories[0].to_string()),
                ("title", "Po terminie"),
            ],
        );
        assert_eq!(changed.status, 422);
        changed.assert_contains("Termin minął");
        let up = c.upload_with(
            &format!("/entries/{id}/attachments"),
            &token,
            "late.pdf",
            PDF,
        );
        assert_eq!(up.status, 422);
        let title: String = app.db(|c| {
            entries::table
                .find(id)
                .select(entries::title)
                .first(c)
                .unwrap()
        });
        assert_eq!(title, "Pierwsze");
        let n: i64 = app.db(|c| attachments::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);
        c.get("/entries/new")
            .assert_contains("Nabór zgłoszeń jest zamknięty");
    }
);

both_backends!(
    organisers_check_entries_formally_and_export_them,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let mut applicants = Vec::new();
        for (i, (email, inst)) in [
            ("a@ostroleka.example", "Urząd Miasta Ostrołęki"),
            ("b@pionki.example", "Urząd Miasta Pionki"),
            ("c@izabelin.example", "Urząd Gminy Izabelin"),
        ]
        .iter()
        .enumerate()
        {
            let r = register_applicant(&app, email, inst);
            let title = format!("Projekt {}", i + 1);
            let p = crate::support::submit_entry(
                &r.client,
                "/entries/new",
                "/entries/new",
                &pairs(&entry_form(
                    call.categories[i],
                    &title,
                    &[("summary", "=HYPERLINK(\"http://evil\")")],
                )),
            );
            assert_eq!(p.status, 200, "{}", p.body);
            applicants.push(r);
        }
        let ids = entry_ids(&app);
        // Before the deadline the decision is not offered.
        let early = org.get(&format!("/admin/entries/{}", ids[0]));
        early.assert_not_contains("Zapisz decyzję");
        crate::support::close_call(&app, call.edition_id);

        // The list with counts per category, filtered.
        let list = org.get(&format!(
            "/admin/editions/{}/entries?status=submitted&category={}",
            call.edition_id, call.categories[1]
        ));
        list.assert_contains("Urząd Miasta Pionki");
        list.assert_not_contains("Urząd Miasta Ostrołęki");
        list.assert_contains("Liczba zgłoszeń w kategoriach");

        // Accept, reject with a reason, return for correction with a deadline.
        org.submit(
            &format!("/admin/entries/{}", ids[0]),
            &format!("/admin/entries/{}/decision", ids[0]),
            &[("decision", "accept")],
        )
        .assert_contains(
            "Decyzja została zapisana. Osoba zgłaszająca dostanie powiadomienie e-mailem.",
        );
        let no_reason = org.submit(
            &format!("/admin/entries/{}", ids[1]),
            &format!("/admin/entries/{}/decision", ids[1]),
            &[("decision", "reject"), ("reason", "")],
        );
        assert_eq!(no_reason.status, 422);
        assert!(no_reason.has_field_error("reason"));
        org.submit(
            &format!("/admin/entries/{}", ids[1]),
            &format!("/admin/entries/{}/decision", ids[1]),
            &[
                ("decision", "reject"),
                ("reason", "Projekt nie został jeszcze wdrożony."),
            ],
        );
        let until = warsaw(app.now() + Duration::days(3));
        let past = org.submit(
            &format!("/admin/entries/{}", ids[2]),
            &format!("/admin/entries/{}/decision", ids[2]),
            &[
                ("decision", "return"),
                ("reason", "Brak opisu"),
                ("until", "2020-01-01T10:00"),
            ],
        );
        assert_eq!(past.status, 422);
        assert!(past.has_field_error("until"));
        org.submit(
            &format!("/admin/entries/{}", ids[2]),
            &format!("/admin/entries/{}/decision", ids[2]),
            &[
                ("decision", "return"),
                ("reason", "Uzupełnij opis efektów."),
                ("until", &until),
            ],
        );
        let statuses: Vec<String> = app.db(|c| {
            entries::table
                .order(entries::id)
                .select(entries::status)
                .load(c)
                .unwrap()
        });
        assert_eq!(statuses, vec!["accepted", "rejected", "returned"]);

        // Each applicant is told, through the outbox.
        let accepted = app.smtp.wait_nth("a@ostroleka.example", 3);
        assert_eq!(
            accepted.subject,
            "Zgłoszenie przyjęte formalnie – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        assert!(
            accepted
                .text
                .contains("zostało przyjęte formalnie i trafi do oceny jury"),
            "{}",
            accepted.text
        );
        let rejected = app.smtp.wait_nth("b@pionki.example", 3);
        assert_eq!(
            rejected.subject,
            "Zgłoszenie odrzucone formalnie – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        assert!(
            rejected
                .text
                .contains("Projekt nie został jeszcze wdrożony.")
        );
        let returned = app.smtp.wait_nth("c@izabelin.example", 3);
        assert_eq!(
            returned.subject,
            "Zgłoszenie do poprawy – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        assert!(returned.text.contains("Uzupełnij opis efektów."));

        // Only the returned entry can be edited, until its own deadline; then it is submitted again.
        let (a, c3) = (&applicants[0], &applicants[2]);
        assert!(
            a.client
                .get(&format!("/entries/{}/edit", ids[0]))
                .url
                .ends_with(&format!("/entries/{}", ids[0]))
        );
        let form = c3.client.get(&format!("/entries/{}/edit", ids[2]));
        form.assert_contains("Termin poprawienia zgłoszenia");
        form.assert_contains("Uzupełnij opis efektów.");
        let review = c3.client.submit_on(
            &form,
            &format!("/entries/{}/edit", ids[2]),
            &pairs(&entry_form(
                call.categories[2],
                "Projekt 3",
                &[("description", "Pełny opis efektów wdrożenia.")],
            )),
        );
        review.assert_contains("Wysłać poprawione zgłoszenie?");
        let fixed = crate::support::confirm(&c3.client, review);
        fixed.assert_contains("Zgłoszenie zostało wysłane");
        let status: String = app.db(|c| {
            entries::table
                .find(ids[2])
                .select(entries::status)
                .first(c)
                .unwrap()
        });
        assert_eq!(status, "submitted");
        // Decisions are recorded with who and when.
        let actions: Vec<String> = app.db(|c| {
            audit_log::table
                .filter(audit_log::object_type.eq("entry"))
                .select(audit_log::action)
                .load(c)
                .unwrap()
        });
        for a in ["entry:accept", "entry:reject", "entry:return"] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        let history = org.get(&format!("/admin/audit?object=entry&id={}", ids[1]));
        history.assert_contains("<td>Odrzucono zgłoszenie formalnie: ");
        history.assert_not_contains("<td>Przyjęto zgłoszenie formalnie: ");

        // The CSV opens in a spreadsheet: UTF-8 with BOM, semicolons, formulas defused.
        let csv = org.get(&format!("/admin/editions/{}/entries.csv", call.edition_id));
        assert_eq!(csv.status, 200);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(csv.body.contains("\"Urząd Miasta Ostrołęki\""));
        assert!(
            csv.body.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
            "{}",
            csv.body
        );
        assert_eq!(csv.body.lines().count(), 4);

        // Judging cannot start while an entry awaits a decision.
        let token = org.get("/account").csrf_for("/logout");
        let close = org.post(
            &format!("/admin/editions/{}/state", call.edition_id),
            &[("csrf", &token), ("to", "closed"), ("confirm", "yes")],
        );
        assert_eq!(close.status, 200, "{}", close.body);
        let judging = org.post(
            &format!("/admin/editions/{}/state", call.edition_id),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        assert_eq!(judging.status, 422);
        judging.assert_contains("Najpierw rozstrzygnij");
    }
);
