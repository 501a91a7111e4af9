//! Forms that say what is wrong: the error summary names each field and links to it; date
//! fields say which date and what is expected (issue 10).

use crate::both_backends;
use crate::support::{TestApp, organiser};

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
