//! The site's accessibility statement (deklaracja dostępności, under the Act of 4 April 2019 on
//! the digital accessibility of public bodies' websites and mobile applications, following the
//! minister's template) and privacy notice (RODO art. 13): their defaults, the parts each must
//! keep, and what is still missing.
//!
//! The statement's page is built from two kinds of content. The parts the official template
//! marks with ids for machines to read (the entity, the site's address, the dates, the contact
//! person) are fields, placed by the page itself with those ids. The rest is Markdown the
//! organiser edits, in which each required section is a heading with its id
//! (`## Procedura wnioskowo-skargowa {#a11y-procedura}`).

use crate::domain::markdown;

/// The mark that starts every part of a default text the organiser must fill in.
pub const PLACEHOLDERS: &[&str] = &["[uzupełnij", "[fill in"];

/// Heading ids the statement's Markdown may set.
pub const A11Y_PREFIXES: &[&str] = &["a11y-"];
/// Ids the statement's page sets itself, from its fields.
pub const A11Y_RESERVED: &[&str] = &[
    "a11y-deklaracja",
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
];
/// The sections the statement must have, by heading id.
pub const A11Y_REQUIRED: &[&str] = &[
    "a11y-status",
    "a11y-ocena",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-komunikacja",
];

/// Heading ids the privacy notice's Markdown may set.
pub const PRIVACY_PREFIXES: &[&str] = &["rodo-"];
/// The sections the privacy notice must have (RODO art. 13), by heading id.
pub const PRIVACY_REQUIRED: &[&str] = &[
    "rodo-administrator",
    "rodo-iod",
    "rodo-cele",
    "rodo-odbiorcy",
    "rodo-okres",
    "rodo-prawa",
    "rodo-skarga",
];

/// Which of the two texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doc {
    Accessibility,
    Privacy,
}

impl Doc {
    pub fn prefixes(self) -> &'static [&'static str] {
        match self {
            Doc::Accessibility => A11Y_PREFIXES,
            Doc::Privacy => PRIVACY_PREFIXES,
        }
    }

    pub fn reserved(self) -> &'static [&'static str] {
        match self {
            Doc::Accessibility => A11Y_RESERVED,
            Doc::Privacy => &[],
        }
    }

    pub fn required(self) -> &'static [&'static str] {
        match self {
            Doc::Accessibility => A11Y_REQUIRED,
            Doc::Privacy => PRIVACY_REQUIRED,
        }
    }

    /// The text's name, as a message key.
    pub fn title_key(self) -> &'static str {
        match self {
            Doc::Accessibility => "a11y.title",
            Doc::Privacy => "privacy.title",
        }
    }

    /// Its Markdown, rendered for its page.
    pub fn render(self, src: &str) -> String {
        markdown::render_document(src, self.prefixes(), self.reserved())
    }
}

/// Something an organiser still has to do before the texts are complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gap {
    /// A field of the statement (`entity`, `published_on`, `contact_name`, …) is empty.
    Field(&'static str),
    /// A text in a language (`pl`, `en`) still holds a `[uzupełnij: …]` part.
    Placeholder(Doc, &'static str),
    /// A text in a language lacks a required section (its heading id).
    Section(Doc, &'static str, &'static str),
}

pub fn has_placeholder(s: &str) -> bool {
    let lower = s.to_lowercase();
    PLACEHOLDERS.iter().any(|p| lower.contains(p))
}

/// The required sections `src` lacks.
pub fn missing_sections(doc: Doc, src: &str) -> Vec<&'static str> {
    let ids = markdown::heading_ids(src, doc.prefixes(), doc.reserved());
    doc.required()
        .iter()
        .copied()
        .filter(|r| !ids.iter().any(|i| i == r))
        .collect()
}

/// What the texts still lack: empty fields, parts to fill in, required sections removed.
pub fn gaps(fields: &[(&'static str, &str)], texts: &[(Doc, &'static str, &str)]) -> Vec<Gap> {
    let mut out: Vec<Gap> = fields
        .iter()
        .filter(|(_, v)| v.trim().is_empty() || has_placeholder(v))
        .map(|(f, _)| Gap::Field(f))
        .collect();
    for (doc, lang, src) in texts {
        if has_placeholder(src) {
            out.push(Gap::Placeholder(*doc, lang));
        }
        for id in missing_sections(*doc, src) {
            out.push(Gap::Section(*doc, lang, id));
        }
    }
    out
}

/// The default accessibility statement's sections, in Polish.
pub const A11Y_PL: &str = r#"## Stan dostępności cyfrowej {#a11y-status}

Ta strona internetowa jest [uzupełnij: zgodna / częściowo zgodna / niezgodna] z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych, czyli z wymaganiami WCAG 2.1 na poziomie AA.

### Treści niedostępne

[uzupełnij: wymień treści niedostępne, powód (niezgodność z ustawą, wyłączenie albo nadmierny koszt) i alternatywny sposób dostępu do nich, albo napisz: „Nie stwierdzono treści niedostępnych”.]

Załączniki dodawane przez uczestników konkursu (np. pliki PDF) są ich dokumentami i mogą nie spełniać wymagań dostępności.

## Przygotowanie deklaracji dostępności {#a11y-ocena}

Deklarację sporządzono na podstawie samooceny przeprowadzonej przez podmiot publiczny. Każda strona serwisu jest sprawdzana automatycznie narzędziem axe-core i walidatorem HTML, także przy szerokości ekranu telefonu. Serwis można obsługiwać samą klawiaturą i bez JavaScriptu.

## Skróty klawiaturowe

Serwis nie ma własnych skrótów klawiaturowych. Na początku każdej strony jest link „Przejdź do treści”. Język strony można zmienić w nagłówku.

## Procedura wnioskowo-skargowa {#a11y-procedura}

Każdy ma prawo zażądać zapewnienia dostępności cyfrowej strony internetowej lub jej elementu. Można też zażądać udostępnienia informacji w alternatywny sposób, na przykład przez odczytanie niedostępnego dokumentu albo opisanie zawartości filmu bez audiodeskrypcji.

Żądanie powinno zawierać:

- dane kontaktowe osoby zgłaszającej żądanie,
- wskazanie strony internetowej lub elementu strony, którego dotyczy żądanie,
- sposób kontaktu, a jeśli osoba zgłaszająca potrzebuje informacji w formie alternatywnej — także wskazanie tej formy.

Żądanie realizujemy niezwłocznie, nie później niż w ciągu 7 dni od jego otrzymania. Jeżeli dotrzymanie tego terminu nie jest możliwe, niezwłocznie informujemy, kiedy realizacja żądania będzie możliwa; termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, możemy zaproponować alternatywny sposób dostępu do informacji.

W przypadku odmowy realizacji żądania albo alternatywnego sposobu dostępu do informacji można złożyć skargę: [uzupełnij: adres do korespondencji lub adres e-mail do składania skarg].

Po wyczerpaniu tej procedury można złożyć wniosek do [Rzecznika Praw Obywatelskich](https://bip.brpo.gov.pl/).

## Dostępność architektoniczna {#a11y-architektura}

[uzupełnij: adres siedziby podmiotu i opis jej dostępności: wejście do budynku, windy, toalety, miejsca parkingowe dla osób z niepełnosprawnościami, pętla indukcyjna, możliwość wejścia z psem asystującym.]

## Dostępność komunikacyjno-informacyjna i polski język migowy (PJM) {#a11y-komunikacja}

[uzupełnij: jak mogą się z nami kontaktować osoby głuche i słabosłyszące (np. e-mail, SMS, wideotłumacz online) oraz jak skorzystać z pomocy tłumacza polskiego języka migowego (PJM), np. zgłaszając taką potrzebę co najmniej 3 dni robocze wcześniej.]

## Aplikacje mobilne {#a11y-aplikacje}

Konkurs nie ma aplikacji mobilnej.
"#;

/// The default accessibility statement's sections, in English.
pub const A11Y_EN: &str = r#"## Compliance status {#a11y-status}

This website is [fill in: fully compliant / partially compliant / not compliant] with the Polish Act of 4 April 2019 on the digital accessibility of public bodies' websites and mobile applications, that is with WCAG 2.1 at level AA.

### Non-accessible content

[fill in: list the content that is not accessible, the reason (non-compliance, exemption or disproportionate burden) and the alternative way to access it, or write: "No non-accessible content has been found".]

Attachments uploaded by the competition's participants (such as PDF files) are their own documents and may not meet the accessibility requirements.

## Preparation of this statement {#a11y-ocena}

This statement was prepared on the basis of a self-assessment by the public body. Every page of the service is checked automatically with axe-core and an HTML validator, also at a phone's screen width. The service can be used with the keyboard alone and without JavaScript.

## Keyboard shortcuts

The service has no keyboard shortcuts of its own. Each page starts with a "Skip to content" link. The page's language can be changed in the header.

## Requests and complaints {#a11y-procedura}

Everyone has the right to request that a website or any of its elements be made digitally accessible. You may also request the information in an alternative form, for example by having an inaccessible document read out or the content of a video without audio description described.

A request should include:

- the contact details of the person making it,
- the website or the element of the website it concerns,
- how to reply, and, if the information is needed in an alternative form, which form.

We deal with a request without delay, within 7 days of receiving it at the latest. If that is not possible, we say without delay when it will be done; this cannot be later than 2 months after the request was made. If digital accessibility cannot be provided, we may offer an alternative way to access the information.

If a request for accessibility or for an alternative way to access the information is refused, you may file a complaint: [fill in: postal or email address for complaints].

After this procedure you may also apply to the [Commissioner for Human Rights (Rzecznik Praw Obywatelskich)](https://bip.brpo.gov.pl/).

## Architectural accessibility {#a11y-architektura}

[fill in: the address of the body's seat and how accessible it is: the entrance, lifts, toilets, parking spaces for disabled people, an induction loop, entry with an assistance dog.]

## Communication and Polish Sign Language (PJM) {#a11y-komunikacja}

[fill in: how deaf and hard-of-hearing people can contact us (for example email, text message, an online video interpreter) and how to get a Polish Sign Language (PJM) interpreter, for example by asking at least 3 working days ahead.]

## Mobile applications {#a11y-aplikacje}

The competition has no mobile application.
"#;

/// The default privacy notice, in Polish.
pub const PRIVACY_PL: &str = r#"## Administrator danych {#rodo-administrator}

Administratorem Twoich danych osobowych jest [uzupełnij: pełna nazwa i adres organizatora konkursu].

## Inspektor ochrony danych {#rodo-iod}

Z inspektorem ochrony danych można się skontaktować: [uzupełnij: adres e-mail i adres do korespondencji inspektora ochrony danych].

## Cele i podstawy prawne przetwarzania {#rodo-cele}

Przetwarzamy dane osobowe:

- osób zgłaszających, osób kontaktowych instytucji i członków jury — w celu przeprowadzenia konkursu: rejestracji, przyjęcia i oceny zgłoszeń, ogłoszenia wyników oraz kontaktu w sprawie konkursu (art. 6 ust. 1 lit. e RODO w związku z [uzupełnij: przepis, na podstawie którego organizator prowadzi konkurs]);
- w celu zapewnienia bezpieczeństwa serwisu i rozliczalności działań, np. w dzienniku zdarzeń (art. 6 ust. 1 lit. c i e RODO);
- w celu archiwizacji dokumentacji konkursu (art. 6 ust. 1 lit. c RODO w związku z ustawą z dnia 14 lipca 1983 r. o narodowym zasobie archiwalnym i archiwach).

Podanie danych jest dobrowolne, ale bez nich nie można wziąć udziału w konkursie.

## Odbiorcy danych {#rodo-odbiorcy}

Dane mogą otrzymać podmioty, które na zlecenie administratora zapewniają hosting, pocztę elektroniczną i wsparcie techniczne serwisu: [uzupełnij: nazwy lub kategorie odbiorców]. Członkowie jury widzą dane zgłoszeń w zakresie potrzebnym do oceny. Nazwy nagrodzonych i wyróżnionych instytucji oraz tytuły ich projektów są publikowane na stronie wyników. Nie przekazujemy danych do państw spoza Europejskiego Obszaru Gospodarczego.

## Okres przechowywania {#rodo-okres}

Dane przechowujemy przez czas trwania konkursu, a następnie przez okres wynikający z przepisów o archiwizacji: [uzupełnij: okres według jednolitego rzeczowego wykazu akt, np. 5 lat od zakończenia konkursu].

Po upływie okresu przechowywania ustalonego dla danej edycji, liczonego od opublikowania jej wyników (domyślnie 5 lat), usuwamy dane osobowe osób zgłaszających, osób kontaktowych i członków jury tej edycji, załączniki zgłoszeń oraz treść wysłanych wiadomości. Opublikowane wyniki zachowują nazwy instytucji i tytuły projektów, ponieważ wyniki konkursu są informacją publiczną.

## Twoje prawa {#rodo-prawa}

Masz prawo do dostępu do swoich danych i otrzymania ich kopii, do ich sprostowania, usunięcia lub ograniczenia przetwarzania w przypadkach określonych w RODO oraz do wniesienia sprzeciwu wobec przetwarzania (art. 21 RODO). Kopię swoich danych pobierzesz jako plik JSON na stronie ustawień konta. Twoje dane nie są wykorzystywane do zautomatyzowanego podejmowania decyzji, w tym do profilowania.

## Prawo wniesienia skargi {#rodo-skarga}

Jeśli uważasz, że przetwarzamy Twoje dane niezgodnie z prawem, możesz wnieść skargę do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, 00-193 Warszawa, [uodo.gov.pl](https://uodo.gov.pl)).

## Pliki cookie {#rodo-cookie}

Używamy tylko niezbędnych plików cookie: sesji (po zalogowaniu i przy wysyłaniu formularzy), wybranego języka oraz rozpoznania przeglądarki, z której się logujesz (przez 90 dni, aby próby odgadnięcia Twojego hasła z innych miejsc nie blokowały Ci dostępu). Nie używamy plików cookie analitycznych ani reklamowych.
"#;

/// The default privacy notice, in English.
pub const PRIVACY_EN: &str = r#"## Data controller {#rodo-administrator}

The controller of your personal data is [fill in: the full name and address of the competition's organiser].

## Data protection officer {#rodo-iod}

You can contact the data protection officer at: [fill in: the data protection officer's email and postal address].

## Purposes and legal bases {#rodo-cele}

We process personal data:

- of applicants, institutions' contact persons and jurors, to run the competition: registration, receiving and judging entries, announcing the results and contacting you about the competition (Article 6(1)(e) GDPR in connection with [fill in: the provision under which the organiser runs the competition]);
- to keep the service secure and actions accountable, for example in the audit log (Article 6(1)(c) and (e) GDPR);
- to archive the competition's records (Article 6(1)(c) GDPR in connection with the Polish Act of 14 July 1983 on the national archival resource and archives).

Giving your data is voluntary, but without it you cannot take part in the competition.

## Recipients {#rodo-odbiorcy}

Your data may be received by those who provide hosting, email and technical support for the service on the controller's behalf: [fill in: names or categories of recipients]. Jurors see entries' data as far as they need it for judging. The names of institutions that won an award or an honourable mention and the titles of their projects are published on the results page. We do not transfer data to countries outside the European Economic Area.

## Retention {#rodo-okres}

We keep the data for the duration of the competition and then for the period the archiving rules require: [fill in: the period under the filing plan, for example 5 years after the competition ends].

Once the retention period set for an edition has passed, counted from the publication of its results (5 years unless the organiser sets otherwise), we erase the personal data of that edition's applicants, contact persons and jurors, the entries' attachments and the text of the emails sent. Published results keep the names of institutions and the titles of projects, because the competition's results are public information.

## Your rights {#rodo-prawa}

You have the right to access your data and obtain a copy, to have it rectified, erased or its processing restricted where the GDPR provides for it, and to object to processing (Article 21 GDPR). You can download a copy of your data as a JSON file on your account settings page. Your data is not used for automated decision-making, including profiling.

## Right to complain {#rodo-skarga}

If you believe we process your data unlawfully, you may complain to the President of the Personal Data Protection Office (Prezes Urzędu Ochrony Danych Osobowych, ul. Stawki 2, 00-193 Warszawa, Poland, [uodo.gov.pl](https://uodo.gov.pl)).

## Cookies {#rodo-cookie}

We use only necessary cookies: the session (when logged in and when sending forms), your chosen language, and one that recognises the browser you log in from (for 90 days, so that attempts to guess your password elsewhere do not lock you out). We use no analytics or advertising cookies.
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_every_required_section_and_are_flagged_until_filled() {
        for (doc, src) in [
            (Doc::Accessibility, A11Y_PL),
            (Doc::Accessibility, A11Y_EN),
            (Doc::Privacy, PRIVACY_PL),
            (Doc::Privacy, PRIVACY_EN),
        ] {
            assert!(missing_sections(doc, src).is_empty(), "{doc:?} {src}");
            assert!(has_placeholder(src));
        }
        let rendered = Doc::Accessibility.render(A11Y_PL);
        assert!(
            rendered.contains("<h2 id=\"a11y-procedura\">"),
            "{rendered}"
        );
        assert!(rendered.contains("href=\"https://bip.brpo.gov.pl/\""));
        let filled = A11Y_PL.replace("[uzupełnij", "(");
        let without = filled.replace("{#a11y-procedura}", "");
        assert_eq!(
            gaps(
                &[("entity", "Urząd"), ("contact_name", " ")],
                &[(Doc::Accessibility, "pl", &without)]
            ),
            vec![
                Gap::Field("contact_name"),
                Gap::Section(Doc::Accessibility, "pl", "a11y-procedura")
            ]
        );
    }
}

/// Whether two versions of a text say the same: line endings and spaces at the ends of lines
/// and of the text do not count (a browser's form sends CRLF, the defaults have LF), so saving
/// a notice unchanged does not make a new version for users to acknowledge.
pub fn same_text(a: &str, b: &str) -> bool {
    let lines =
        |s: &str| -> Vec<String> { s.trim().lines().map(|l| l.trim_end().to_string()).collect() };
    lines(a) == lines(b)
}

#[cfg(test)]
mod same_text_tests {
    use super::same_text;

    #[test]
    fn line_endings_and_trailing_spaces_are_the_same_text() {
        assert!(same_text("A\n\nB\n", "A\r\n\r\nB"));
        assert!(same_text("A  \nB", "A\nB  \n\n"));
        assert!(!same_text("A\nB", "A\nC"));
        assert!(!same_text("A B", "AB"));
    }
}
