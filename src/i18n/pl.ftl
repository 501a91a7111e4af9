### Teksty portalu po polsku. Identyfikator to klucz z kodu z kropkami zamienionymi na myślniki
### (kod prosi o "err.required", tu jest err-required). Zmienne: { $nazwa }.

## Site-wide
site-name = Samorządowy Lider Cyfryzacji
site-organiser = Konkurs Samorządu Województwa Mazowieckiego
nav-skip = Przejdź do treści
nav-label = Menu główne
nav-home = Strona główna
nav-register = Rejestracja
nav-login = Zaloguj się
nav-logout = Wyloguj się
nav-dashboard = Mój panel
nav-institution = Instytucja
nav-settings = Konto
nav-users = Użytkownicy
nav-outbox = Wiadomości e-mail
nav-audit = Dziennik zdarzeń
footer-organiser = Organizator: Samorząd Województwa Mazowieckiego
footer-accessibility = Deklaracja dostępności
footer-privacy = Ochrona danych osobowych
role-applicant = osoba zgłaszająca
role-juror = członek jury
role-organiser = zespół organizatora

## Institution kinds
kind-gmina_miejska = gmina miejska
kind-gmina_wiejska = gmina wiejska
kind-gmina_miejsko_wiejska = gmina miejsko-wiejska
kind-miasto_npp = miasto na prawach powiatu
kind-powiat = powiat
kind-wojewodztwo = województwo
kind-jednostka_samorzadowa = samorządowa jednostka organizacyjna
kind-uczelnia = uczelnia
kind-inna = inna instytucja publiczna

## Forms
form-optional = (opcjonalnie)
form-choose = — wybierz —
form-save = Zapisz
form-cancel = Anuluj
form-filter = Filtruj
field-institution_name = Nazwa instytucji
field-kind = Rodzaj instytucji
field-teryt = Kod TERYT
field-street = Ulica i numer
field-postal_code = Kod pocztowy
field-city = Miejscowość
field-address = Adres
field-phone = Telefon
field-contact_person = Osoba do kontaktu
field-name = Imię i nazwisko
field-email = Adres e-mail
field-password = Hasło
field-password_confirm = Powtórz hasło
field-current_password = Obecne hasło
field-new_password = Nowe hasło
field-lang = Język konta
hint-institution_name = Pełna nazwa, np. Urząd Miasta i Gminy Piaseczno.
hint-teryt = 7 cyfr kodu jednostki z rejestru TERYT, np. 1418043.
hint-postal_code = W formacie 00-000.
hint-phone = Numer stacjonarny lub komórkowy, np. 22 701 75 00.
hint-email_login = Na ten adres wyślemy link potwierdzający; będzie też loginem.
hint-password = Co najmniej 12 znaków. Najlepiej kilka słów, które łatwo zapamiętać.
hint-lang = W tym języku wyświetlimy strony po zalogowaniu i będziemy wysyłać wiadomości e-mail. Przełącznik języka w nagłówku zmienia język stron do wylogowania.

## Errors
err-title_prefix = Błąd:
err-summary = Popraw następujące błędy
err-prefix = Błąd:
err-required = To pole jest wymagane.
err-too_long_n = { $max ->
        [one] Tekst może mieć najwyżej { $max } znak.
        [few] Tekst może mieć najwyżej { $max } znaki.
       *[many] Tekst może mieć najwyżej { $max } znaków.
    }
err-invalid_chars = Tekst zawiera niedozwolone znaki niewidoczne lub sterujące. Usuń je i spróbuj ponownie (w tym polu można przechodzić do nowego wiersza).
err-invalid_chars_line = To pole musi mieścić się w jednym wierszu i nie może zawierać znaków niewidocznych ani sterujących (np. przejścia do nowego wiersza, tabulatora).
err-email = Wpisz adres w poprawnym formacie, np. jan.kowalski@gmina.pl.
err-email_taken = Konto z tym adresem już istnieje. Zaloguj się lub odzyskaj hasło.
err-email_taken_invite = Konto z adresem z zaproszenia już istnieje. Zaloguj się na nie.
err-password_short = Wpisz co najmniej 12 znaków.
err-password_weak = To hasło łatwo odgadnąć: zawiera np. powtórzenia, kolejne znaki, popularne słowo, imię lub adres e-mail. Wybierz dłuższe hasło, najlepiej kilka niezwiązanych ze sobą słów.
err-password_mismatch = Hasła nie są takie same.
err-current_password = To hasło jest nieprawidłowe.
err-teryt_format = Wpisz 7 cyfr, np. 1418043.
err-teryt_invalid = Taki kod TERYT nie istnieje. Sprawdź kod województwa, powiatu, gminy i rodzaju jednostki.
err-postal_code = Wpisz kod w formacie 00-000.
err-phone = Wpisz od 9 do 15 cyfr, mogą być spacje, myślniki i + na początku.
err-url = Wpisz pełny adres zaczynający się od https:// lub http://.
err-kind = Wybierz rodzaj instytucji.
err-choose = Wybierz jedną z możliwości.
err-consent = Aby się zarejestrować, potwierdź zapoznanie się z informacją o przetwarzaniu danych.

## Error pages
error-code = Kod błędu
error-go_home = Przejdź na stronę główną
error-title_400 = Nie udało się obsłużyć żądania
error-title_403 = Brak dostępu
error-title_404 = Nie znaleziono strony
error-title_500 = Wystąpił błąd serwera
error-400 = Przesłane dane są niepoprawne. Wróć i spróbuj jeszcze raz.
error-403 = Nie masz uprawnień do tej strony.
error-404 = Strona, której szukasz, nie istnieje albo została przeniesiona. Sprawdź adres.
error-405 = Tej strony nie można otworzyć w ten sposób.
error-413 = Przesłane dane są zbyt duże.
error-429 = Zbyt wiele prób. Odczekaj chwilę i spróbuj ponownie.
error-500 = Przepraszamy, coś poszło nie tak. Spróbuj ponownie za chwilę.
error-503 = Serwis jest chwilowo niedostępny. Spróbuj ponownie za chwilę.
error-csrf = Formularz wygasł albo został wysłany z innej strony, więc nic nie zapisaliśmy. Wróć, odśwież stronę i wyślij go ponownie.
error-invalid_utf8 = Formularz zawierał znaki, których nie da się zapisać jako tekstu (niepoprawne kodowanie UTF-8 albo znak NUL), dlatego niczego nie zapisano. Wróć do formularza, wpisz ponownie wklejony tekst i wyślij formularz jeszcze raz.

## Links from emails
link-title = Link nie działa
link-expired = Ten link wygasł. Poproś o nowy.
link-used = Ten link został już użyty. Każdy link działa tylko raz.
link-unknown = Ten link jest nieprawidłowy. Sprawdź, czy skopiowano go w całości.

## Home
home-title = Strona główna
home-lead = Konkurs wyróżnia samorządy i instytucje publiczne Mazowsza za innowacyjne projekty cyfrowe: udostępnianie danych przestrzennych, e-usługi dla mieszkańców i inne rozwiązania, które ułatwiają życie.
home-how_title = Jak wziąć udział
home-how_1 = Zarejestruj instytucję i potwierdź adres e-mail.
home-how_2 = W trakcie naboru złóż zgłoszenie w jednej z kategorii konkursu.
home-how_3 = Jury ocenia zgłoszenia według opublikowanych kryteriów.
home-how_4 = Organizator ogłasza i publikuje wyniki konkursu.
home-cta_register = Zarejestruj instytucję
home-who_title = Kto może się zgłosić
home-who_text = Gminy, powiaty, miasta, samorządowe jednostki organizacyjne, uczelnie i inne instytucje publiczne z województwa mazowieckiego.

## Accessibility statement and privacy
a11y-title = Deklaracja dostępności
a11y-commits = zobowiązuje się zapewnić dostępność swojej strony internetowej zgodnie z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych.
a11y-applies_to = Deklaracja dostępności dotyczy strony internetowej
a11y-contact_title = Informacje zwrotne i dane kontaktowe
a11y-contact_text = W sprawach dostępności cyfrowej tej strony, w tym w celu zgłoszenia problemu, żądania zapewnienia dostępności lub alternatywnego dostępu do informacji, skontaktuj się z osobą odpowiedzialną za dostępność.
privacy-title = Ochrona danych osobowych
sitetexts-title = Deklaracja dostępności i ochrona danych
sitetexts-lead = Te teksty są publikowane na stronach „Deklaracja dostępności” i „Ochrona danych osobowych”, do których prowadzą linki w stopce każdej strony.
sitetexts-gaps_title = Do uzupełnienia
sitetexts-see_a11y = Zobacz opublikowaną deklarację dostępności
sitetexts-see_privacy = Zobacz opublikowaną klauzulę informacyjną
sitetexts-entity = Nazwa podmiotu publicznego
sitetexts-entity_hint = Pełna nazwa podmiotu, który publikuje stronę, np. Urząd Marszałkowski Województwa Mazowieckiego w Warszawie.
sitetexts-published_on = Data publikacji strony internetowej
sitetexts-updated_on = Data ostatniej istotnej aktualizacji
sitetexts-prepared_on = Data sporządzenia deklaracji
sitetexts-date_hint = Format DD.MM.RRRR, np. 15.03.2026.
sitetexts-updated_hint = Data ostatniej zmiany wyglądu, struktury lub sposobu publikowania informacji. Format DD.MM.RRRR, np. 15.03.2026.
sitetexts-contact_name = Osoba kontaktowa w sprawie dostępności
sitetexts-contact_hint = Imię i nazwisko osoby albo nazwa komórki organizacyjnej.
sitetexts-contact_email = Adres e-mail
sitetexts-contact_phone = Numer telefonu
sitetexts-a11y_pl = Treść deklaracji — wersja polska (Markdown)
sitetexts-a11y_en = Treść deklaracji — wersja angielska (Markdown)
sitetexts-a11y_hint = Nagłówki wymaganych części kończą się identyfikatorem w nawiasach klamrowych, np. {"{"}#a11y-procedura{"}"}. Nie usuwaj go: na jego podstawie sprawdzamy, czy deklaracja jest kompletna. Zastąp każdy fragment „[uzupełnij: …]” właściwą treścią. Dane kontaktowe i daty z pól powyżej strona wstawia sama.
sitetexts-privacy_pl = Klauzula informacyjna — wersja polska (Markdown)
sitetexts-privacy_en = Klauzula informacyjna — wersja angielska (Markdown)
sitetexts-privacy_hint = Nagłówki wymaganych części kończą się identyfikatorem w nawiasach klamrowych, np. {"{"}#rodo-skarga{"}"}. Nie usuwaj go. Zastąp każdy fragment „[uzupełnij: …]” właściwą treścią.
sitetexts-missing = [uzupełnij]
sitetexts-version_pl = wersja polska
sitetexts-version_en = wersja angielska
sitetexts-gap_field = Deklaracja dostępności — brak danych: { $field }
sitetexts-gap_placeholder = { $doc } — { $version }: zostały fragmenty do uzupełnienia („[uzupełnij: …]”).
sitetexts-gap_section = { $doc } — { $version }: brak wymaganej części: { $part }
sitetexts-part_a11y_status = Stan dostępności cyfrowej
sitetexts-part_a11y_ocena = Przygotowanie deklaracji dostępności
sitetexts-part_a11y_procedura = Procedura wnioskowo-skargowa
sitetexts-part_a11y_architektura = Dostępność architektoniczna
sitetexts-part_a11y_komunikacja = Dostępność komunikacyjno-informacyjna i polski język migowy (PJM)
sitetexts-part_rodo_administrator = Administrator danych
sitetexts-part_rodo_iod = Inspektor ochrony danych
sitetexts-part_rodo_cele = Cele i podstawy prawne przetwarzania
sitetexts-part_rodo_odbiorcy = Odbiorcy danych
sitetexts-part_rodo_okres = Okres przechowywania
sitetexts-part_rodo_prawa = Twoje prawa
sitetexts-part_rodo_skarga = Prawo wniesienia skargi do Prezesa UODO
sitetexts-dashboard_card = Deklaracja dostępności i ochrona danych
sitetexts-dashboard_ok = Obie strony są uzupełnione.
sitetexts-dashboard_gaps = Deklaracja dostępności lub klauzula informacyjna wymagają uzupełnienia
sitetexts-dashboard_fix = Uzupełnij deklarację dostępności i klauzulę informacyjną

## Registration
register-title = Rejestracja instytucji
register-intro = Zarejestruj instytucję, aby składać zgłoszenia w konkursie. Po rejestracji wyślemy link potwierdzający adres e-mail.
register-section_institution = Instytucja
register-section_person = Osoba zgłaszająca
register-person_hint = Będziesz osobą do kontaktu w sprawie zgłoszeń. Później możesz zaprosić do konta instytucji inne osoby.
register-consent = Potwierdzam zapoznanie się z informacją o przetwarzaniu danych osobowych.
register-consent_link = (przeczytaj informację)
register-submit = Zarejestruj
register-have_account = Masz już konto?
register-sent_title = Sprawdź skrzynkę e-mail
register-sent_body = Wysłaliśmy link potwierdzający na podany adres e-mail. Kliknij go w ciągu 48 godzin, aby aktywować konto.
register-sent_spam = Jeśli wiadomość nie dotrze w ciągu kilku minut, sprawdź folder spam.

## Verification
verify-title = Potwierdź adres e-mail
verify-intro = Kliknij przycisk, aby potwierdzić adres e-mail i aktywować konto.
verify-submit = Potwierdzam adres e-mail
verify-resend_title = Wyślij link potwierdzający ponownie
verify-resend_intro = Podaj adres e-mail użyty przy rejestracji. Jeśli konto czeka na potwierdzenie, wyślemy nowy link.
verify-resend_submit = Wyślij link ponownie
verify-resend_link = Wyślij link potwierdzający ponownie
verify-resend_done = Jeśli konto z tym adresem czeka na potwierdzenie, właśnie wysłaliśmy nowy link. Poprzednie linki przestały działać.

## Login
login-title = Logowanie
login-submit = Zaloguj się
login-forgot = Nie pamiętasz hasła?
login-invalid = Nieprawidłowy adres e-mail lub hasło.
login-throttled = Zbyt wiele nieudanych prób logowania. Spróbuj ponownie po { $time }.
err-mail_limit = Wyczerpano na razie limit wiadomości e-mail, które można wysłać w ten sposób. Spróbuj ponownie po { $time }.
login-unverified = Adres e-mail tego konta nie został jeszcze potwierdzony. Kliknij link z wiadomości, którą wysłaliśmy po rejestracji, albo poproś o nowy.
login-disabled = To konto zostało zablokowane. Skontaktuj się z organizatorem konkursu.
login-logged_out = Wylogowano.
login-password_reset = Hasło zostało zmienione. Zaloguj się nowym hasłem.
login-new_here = Pierwszy raz tutaj?
login-new_here_text = Instytucja, która chce wziąć udział w konkursie, zakłada konto w kilka minut.
logout-title = Wylogowanie

## Passwords
forgot-title = Odzyskiwanie hasła
forgot-intro = Podaj adres e-mail konta. Wyślemy link do ustawienia nowego hasła, ważny przez godzinę.
forgot-submit = Wyślij link
forgot-done = Jeśli ten adres jest przypisany do konta, wysłaliśmy na niego link do ustawienia nowego hasła. Link jest ważny przez godzinę.
forgot-again = Poproś o nowy link
reset-title = Ustaw nowe hasło
reset-submit = Ustaw hasło
password-title = Zmiana hasła
password-intro = Po zmianie hasła wylogujemy Cię ze wszystkich innych urządzeń.
password-submit = Zmień hasło

## Invitations and set-up
invite-title = Dołącz do instytucji
invite-intro = Otrzymujesz zaproszenie do konta instytucji w konkursie. Instytucja: { $institution }. Podaj swoje imię i nazwisko oraz ustaw hasło.
invite-submit = Utwórz konto
setup-title = Pierwsze uruchomienie: konto organizatora
setup-intro = Utwórz pierwsze konto organizatora. Ten link działa tylko raz.
setup-submit = Utwórz konto organizatora

## Dashboard and account
dashboard-title = Mój panel
dashboard-hello = Zalogowano jako: { $name }
dashboard-your_institution = Twoja instytucja
dashboard-edit_institution = Edytuj dane instytucji
dashboard-members = Osoby z instytucji
dashboard-entries = Zgłoszenia
dashboard-no_call = Nabór zgłoszeń nie jest jeszcze otwarty. Powiadomimy Cię, gdy się rozpocznie.
dashboard-assignments = Przydzielone zgłoszenia
dashboard-no_assignments = Nie masz jeszcze przydzielonych zgłoszeń.
dashboard-overview = Przegląd
dashboard-users_count = 
    { $n ->
        [one] { $n } konto
        [few] { $n } konta
       *[many] { $n } kont
    }
dashboard-queued_count = 
    { $n ->
        [one] { $n } wiadomość czeka na wysłanie
        [few] { $n } wiadomości czekają na wysłanie
       *[many] { $n } wiadomości czeka na wysłanie
    }
dashboard-failed_count = 
    { $n ->
        [one] { $n } wiadomość niewysłana
        [few] { $n } wiadomości niewysłane
       *[many] { $n } wiadomości niewysłanych
    }
dashboard-audit_text = Kto, co i kiedy zmienił.
settings-title = Ustawienia konta
settings-security = Bezpieczeństwo
inst-title = Dane instytucji
members-title = Osoby z instytucji
members-caption = Konta osób z tej instytucji
members-since = Konto od
members-pending = Zaproszenia oczekujące
members-valid_until = ważne do { $time }
members-invite_title = Zaproś osobę z instytucji
members-invite_intro = Osoba zaproszona otrzyma e-mail z linkiem do założenia konta w tej instytucji (ważnym 7 dni).
members-invite_submit = Wyślij zaproszenie

## Flash messages
flash-saved = Zapisano zmiany.
flash-verified = Adres e-mail został potwierdzony. Możesz się zalogować.
flash-welcome = Witamy! Konto zostało utworzone.
flash-setup_done = Konto organizatora zostało utworzone.
flash-password_changed = Hasło zostało zmienione. Inne sesje zostały zakończone.
flash-invited = Zaproszenie zostało wysłane.
flash-user_disabled = Konto zostało zablokowane, a jego sesje zakończone.
flash-user_enabled = Konto zostało odblokowane.
flash-not_yourself = Nie możesz zablokować własnego konta.
flash-requeued = Wiadomość wróciła do kolejki i zostanie wysłana ponownie.

## Lists
list-count = 
    { $n ->
        [one] { $n } wynik
        [few] { $n } wyniki
       *[many] { $n } wyników
    }
list-range = Pozycje { $first }–{ $last } z { $total }
list-range_one = Pozycja { $n } z { $total }
pager-label = Strony wyników
pager-prev = Poprzednia strona
pager-next = Następna strona
pager-page = Strona

## Users
users-title = Użytkownicy
users-search = Szukaj (nazwisko, e-mail, instytucja)
users-role = Rola
users-all_roles = Wszystkie role
users-institution = Instytucja
users-status = Stan
users-actions = Działania
users-active = aktywne
users-disabled = zablokowane
users-unverified = niepotwierdzone
users-disable = Zablokuj
users-enable = Odblokuj

## Outbox
outbox-title = Wiadomości e-mail
outbox-intro = Każda wiadomość wysłana przez serwis trafia najpierw tutaj. Nieudane wysyłki są ponawiane automatycznie.
outbox-no_smtp = Serwer poczty (KONKURS_SMTP_URL) nie jest skonfigurowany: wiadomości czekają w kolejce i zostaną wysłane po jego ustawieniu.
outbox-all = Wszystkie
outbox-status = Stan
outbox-status_queued = w kolejce
outbox-status_sent = wysłana
outbox-status_failed = niewysłana
outbox-created = Utworzona
outbox-to = Do
outbox-subject = Temat
outbox-attempts = Próby
outbox-last_answer = Ostatnia odpowiedź serwera
outbox-next_attempt = następna próba: { $time }
outbox-sent_at = Wysłana
outbox-retry = Wyślij ponownie
outbox-sent_no_retry = Wiadomość została dostarczona; linki jednorazowe z niej nie są już przechowywane. Odbiorca może poprosić o nowy link.
outbox-back = ← Wszystkie wiadomości
outbox-body = Treść

## Audit log
audit-title = Dziennik zdarzeń
audit-all = Wszystkie zdarzenia
audit-when = Kiedy
audit-who = Kto
audit-action = Zdarzenie
audit-object = Obiekt
audit-details = Szczegóły
audit-kind_filter = Rodzaj zdarzenia
audit-empty = Dziennik zdarzeń jest pusty.
audit-empty_filtered = Brak zdarzeń tego rodzaju.
audit-missing = nr { $id } (już nie istnieje)
audit-none = brak
audit-award_given = Przyznano { $award }: { $entry }
audit-awards_cleared = Usunięto nagrody w kategorii { $category }
audit-d_category = Kategoria
audit-d_edition = Edycja
audit-d_file = Plik
audit-d_criterion = Kryterium
audit-d_state = Nowy etap
audit-d_aggregation = Sposób łączenia ocen
audit-d_reason = Uzasadnienie
audit-d_conflict_reason = Powód
audit-d_email = Adres e-mail
audit-d_role = Rola
audit-d_categories = Kategorie
audit-d_institution = Instytucja
audit-d_juror = Członek jury
audit-d_reminders = Liczba wysłanych przypomnień
audit-d_messages = Liczba wiadomości przekazanych do wysyłki
audit-kind-attachment_add = Dodano załącznik
audit-kind-attachment_remove = Usunięto załącznik
audit-kind-award_set = Przyznano nagrody
audit-kind-category_delete = Usunięto kategorię
audit-kind-category_save = Zapisano kategorię
audit-kind-criterion_delete = Usunięto kryterium oceny
audit-kind-criterion_save = Zapisano kryterium oceny
audit-kind-edition_create = Utworzono edycję
audit-kind-edition_judging_settings = Zmieniono zasady oceny
audit-kind-edition_state = Zmieniono etap edycji
audit-kind-edition_update = Zmieniono dane edycji
audit-kind-entry_accept = Przyjęto zgłoszenie formalnie
audit-kind-entry_create = Utworzono zgłoszenie (wersja robocza)
audit-kind-entry_reject = Odrzucono zgłoszenie formalnie
audit-kind-entry_return = Zwrócono zgłoszenie do poprawy
audit-kind-entry_submit = Wysłano zgłoszenie
audit-kind-entry_update = Zmieniono zgłoszenie
audit-kind-entry_withdraw = Wycofano zgłoszenie
audit-kind-institution_invite = Zaproszono osobę do konta instytucji
audit-kind-institution_register = Zarejestrowano instytucję
audit-kind-institution_update = Zmieniono dane instytucji
audit-kind-juror_accept_invitation = Przyjęto zaproszenie do jury
audit-kind-juror_invite = Zaproszono do jury
audit-kind-jury_assign = Przydzielono zgłoszenie do oceny
audit-kind-jury_categories = Zmieniono kategorie oceniane przez członka jury
audit-kind-jury_conflict = Zgłoszono konflikt interesów
audit-kind-jury_conflict_removed = Usunięto konflikt interesów
audit-kind-jury_declaration = Złożono deklarację bezstronności i poufności
audit-kind-jury_remind = Wysłano przypomnienia o ocenie
audit-kind-jury_reopen = Ponownie otwarto ocenę zgłoszenia
audit-kind-jury_submit = Wysłano ocenę zgłoszenia
audit-kind-jury_unassign = Usunięto zgłoszenie z listy do oceny
audit-kind-outbox_retry = Ponowiono wysyłkę wiadomości
audit-kind-protocol_finalise = Zatwierdzono protokół jury
audit-kind-results_announce = Wysłano ogłoszenie wyników
audit-kind-results_schedule = Zaplanowano publikację wyników
audit-kind-results_schedule_cancel = Anulowano zaplanowaną publikację wyników
audit-kind-results_schedule_failed = Nie opublikowano wyników w zaplanowanym terminie
audit-kind-results_publish_scheduled = Opublikowano wyniki w zaplanowanym terminie
audit-d_publish_at = Termin publikacji
audit-d_announce = Ogłoszenie e-mailem
audit-kind-user_accept_invitation = Przyjęto zaproszenie do konta instytucji
audit-kind-user_change_password = Zmieniono hasło
audit-kind-user_create_organiser = Utworzono konto organizatora
audit-kind-user_disable = Zablokowano konto
audit-kind-user_enable = Odblokowano konto
audit-kind-user_mail_settings = Zmieniono ustawienia powiadomień e-mail
audit-kind-site_texts = Zmieniono deklarację dostępności lub klauzulę informacyjną
audit-kind-user_reset_password = Ustawiono nowe hasło z linku
audit-kind-user_verify_email = Potwierdzono adres e-mail

## Email
# Imienia nie da się tu odmienić (wołacz), więc powitanie go nie zawiera.
email-greeting = Dzień dobry,
email-signature = Zespół konkursu „Samorządowy Lider Cyfryzacji”
email-automatic = Ta wiadomość została wysłana automatycznie.
email-link_fallback = Jeśli przycisk nie działa, skopiuj ten adres do przeglądarki:
email-not_you = Jeśli to nie Ty, zignoruj tę wiadomość.
email-verify-subject = Potwierdź adres e-mail – konkurs „Samorządowy Lider Cyfryzacji”
email-verify-body = Dziękujemy za rejestrację instytucji w konkursie „Samorządowy Lider Cyfryzacji”. Aby aktywować konto, potwierdź adres e-mail.
email-verify-action = Potwierdź adres e-mail
email-verify-expiry = Link jest ważny przez 48 godzin i działa tylko raz.
email-reset-subject = Ustaw nowe hasło – konkurs „Samorządowy Lider Cyfryzacji”
email-reset-body = Otrzymaliśmy prośbę o ustawienie nowego hasła do Twojego konta w serwisie konkursu „Samorządowy Lider Cyfryzacji”.
email-reset-action = Ustaw nowe hasło
email-reset-expiry = Link jest ważny przez godzinę i działa tylko raz.
email-password_changed-subject = Hasło zostało zmienione – konkurs „Samorządowy Lider Cyfryzacji”
email-password_changed-body = Hasło do Twojego konta w serwisie konkursu „Samorządowy Lider Cyfryzacji” zostało zmienione. Data zmiany: { $time }.
email-password_changed-not_you = Jeśli to nie Ty, natychmiast odzyskaj hasło i skontaktuj się z organizatorem.
email-invite-subject = Zaproszenie do konta instytucji – konkurs „Samorządowy Lider Cyfryzacji”
email-invite-body = Otrzymujesz zaproszenie do konta instytucji w konkursie „Samorządowy Lider Cyfryzacji”. Po założeniu konta możesz przygotowywać zgłoszenia razem z innymi osobami z instytucji.
email-invite-institution = Instytucja
email-invite-inviter = Osoba zapraszająca
email-invite-not_expected = Jeśli nie spodziewasz się tego zaproszenia, zignoruj tę wiadomość.
email-registered_again-subject = Próba rejestracji z Twoim adresem e-mail – konkurs „Samorządowy Lider Cyfryzacji”
email-registered_again-body = Ktoś próbował zarejestrować instytucję w konkursie „Samorządowy Lider Cyfryzacji”, podając Twój adres e-mail. Konto z tym adresem już istnieje, dlatego niczego nie zmieniliśmy.
email-registered_again-if_you = Jeśli to Ty, zaloguj się na swoje konto.
email-registered_again-reset = Jeśli nie pamiętasz hasła, ustaw nowe: { $link }
email-invite-action = Załóż konto
email-invite-expiry = Link jest ważny przez 7 dni i działa tylko raz.

## Navigation added with editions
nav-editions = Edycje
nav-calls = Edycje konkursu

## Forms (more)
form-edit = Edytuj
form-delete = Usuń
form-delete_confirm = Na pewno usunąć?
err-date = Podaj datę w formacie DD.MM.RRRR, np. 15.03.2026.
err-datetime = Podaj datę i godzinę w formacie DD.MM.RRRR, GG:MM, np. 15.03.2027, 23:59.
err-updated_before_published = Data ostatniej aktualizacji nie może być wcześniejsza niż data publikacji.
err-datetime_gap = Tej godziny nie ma w tym dniu (zmiana czasu na letni). Wybierz inną.
err-budget = Wpisz kwotę, np. 1 250 000,50.
err-links = Każdy link musi być pełnym adresem zaczynającym się od https:// lub http://, jeden w wierszu.
err-too_many_links = Podaj najwyżej 10 linków.
err-summary_long = Tekst może mieć najwyżej 1000 znaków.
err-launch_before_start = Data uruchomienia nie może być wcześniejsza niż data rozpoczęcia.
err-accept_rules = Aby wysłać zgłoszenie, zaakceptuj regulamin konkursu.
err-accept_privacy = Aby wysłać zgłoszenie, zaakceptuj klauzulę o przetwarzaniu danych osobowych.

## Home (editions)
home-current = Bieżąca edycja
home-deadline = Termin składania zgłoszeń: { $time }.
home-call_details = Regulamin, kategorie i kryteria oceny
home-all_editions = Wszystkie edycje konkursu

## Editions (public)
editions-title = Edycje konkursu
editions-none = Nie ogłoszono jeszcze żadnej edycji.
edition-name = Nazwa edycji
edition-name_en = Nazwa edycji po angielsku
edition-year = Rok
edition-slug = Adres strony edycji
edition-state = Etap
edition-state_draft = szkic
edition-state_open = nabór zgłoszeń
edition-state_closed = nabór zamknięty
edition-state_judging = ocena jury
edition-state_published = wyniki opublikowane
edition-window = Nabór
edition-opens_at = Początek naboru
edition-closes_at = Termin składania zgłoszeń
edition-judging_deadline = Termin oceny jury
edition-limit = Limit zgłoszeń jednej instytucji w kategorii
edition-times_note = Wszystkie godziny podane są w czasie polskim (Europe/Warsaw).
edition-time_left = pozostało: { $left }
edition-call_open = Nabór zgłoszeń trwa.
edition-opens_soon = Początek naboru zgłoszeń: { $time }.
edition-categories = Kategorie
edition-category = Kategoria
edition-criteria = Kryteria oceny
edition-formula = Każdy członek jury przyznaje punkty w każdym kryterium. Wynik członka jury to suma punktów pomnożonych przez wagi kryteriów (najwyżej { $max } pkt); wynik zgłoszenia to średnia wyników członków jury bez konfliktu interesów.
edition-rules = Regulamin
edition-rules_en = Regulamin po angielsku
edition-hint_name = Np. VI edycja.
edition-hint_slug = Małe litery, cyfry i łączniki, np. vi-edycja. Stały adres: /editions/…
edition-hint_warsaw = Data i godzina w formacie DD.MM.RRRR, GG:MM, np. 15.03.2027, 23:59. Czas polski (Europe/Warsaw).
edition-hint_rules = Można używać Markdown: **pogrubienie**, listy, nagłówki #, linki.
edition-template = Na podstawie
edition-hint_template = Nowa edycja może przejąć kategorie, kryteria i regulamin poprzedniej (bez zgłoszeń).
edition-template_model = Trzy kategorie konkursu wzorcowego i przykładowe kryteria
edition-template_copy = Kopia edycji: { $name }
edition-template_empty = Pusta edycja
edition-err_order = Etapy edycji następują po kolei.
edition-err_no_categories = Dodaj co najmniej jedną kategorię.
edition-err_no_criteria = Dodaj co najmniej jedno kryterium oceny.
edition-err_closes_past = Termin składania zgłoszeń już minął. Ustaw późniejszy.
edition-err_still_open = Nabór można zamknąć dopiero po terminie składania zgłoszeń.
edition-err_undecided = Najpierw rozstrzygnij ocenę formalną wszystkich zgłoszeń (także zwróconych do poprawy).
edition-err_no_accepted = Nie ma żadnego zgłoszenia przyjętego formalnie.
edition-err_window = Termin składania zgłoszeń musi być późniejszy niż początek naboru.
edition-err_judging_before_close = Termin oceny jury nie może być wcześniejszy niż termin składania zgłoszeń.
edition-err_year = Wpisz cztery cyfry, np. 2027.
edition-err_slug = Użyj od 2 do 60 małych liter, cyfr i łączników, np. vi-edycja.
edition-err_slug_taken = Inna edycja ma już ten adres.
edition-err_slug_locked = Adresu ogłoszonej edycji nie można zmienić.
edition-err_limit = Wpisz liczbę od 1 do 20.
edition-err_opens_locked = Nabór już się rozpoczął; jego początku nie można zmienić.
edition-err_only_extend = W trakcie naboru termin można tylko przedłużyć.
edition-err_only_raise = W trakcie naboru limit zgłoszeń można tylko zwiększyć.
edition-err_dates_locked = Po zamknięciu naboru jego terminów nie można zmienić.
edition-err_limit_locked = Po zamknięciu naboru limitu zgłoszeń nie można zmienić.
edition-err_categories_locked = Kategorie można zmieniać tylko w szkicu edycji, przed przyjęciem zgłoszeń.
edition-err_criteria_frozen = Kryteria są opublikowane z naborem i nie można ich już zmienić.
edition-err_code = Wpisz oznaczenie z liter i cyfr, np. I, II, III.
edition-err_code_taken = Ta edycja ma już kategorię o takim oznaczeniu.
edition-err_position = Wpisz liczbę od 0 do 1000.
category-code = Oznaczenie
category-hint_code = Np. I, II, III.
category-position = Kolejność
category-name = Nazwa
category-name_en = Nazwa po angielsku
category-description = Opis
category-description_en = Opis po angielsku
criterion-name = Kryterium
criterion-name_en = Kryterium po angielsku
criterion-description = Opis
criterion-description_en = Opis po angielsku
criterion-max_points = Punkty
criterion-weight = Waga
criterion-levels = Opis poziomów oceny
criterion-levels_en = Opis poziomów oceny po angielsku
criterion-hint_max = Najwyższa ocena w tym kryterium (od 1 do 100).
criterion-hint_weight = Mnożnik punktów, od 0,1 do 10, np. 1,5.
criterion-hint_levels = Jeden poziom w wierszu, np. „5: nowe w regionie”.
criterion-err_max = Wpisz liczbę od 1 do 100.
criterion-err_weight = Wpisz liczbę od 0,1 do 10.

## Editions (organisers)
admin_editions-title = Edycje konkursu
admin_editions-none = Nie ma jeszcze żadnej edycji.
admin_editions-new = Nowa edycja
admin_editions-create = Utwórz edycję
admin_editions-entries = Zgłoszenia
admin_editions-entries_list = Lista zgłoszeń i ocena formalna
admin_editions-undecided = 
    { $n ->
        [one] { $n } zgłoszenie czeka na ocenę formalną
        [few] { $n } zgłoszenia czekają na ocenę formalną
       *[many] { $n } zgłoszeń czeka na ocenę formalną
    }
admin_editions-accepted = 
    { $n ->
        [one] { $n } zgłoszenie przyjęte formalnie
        [few] { $n } zgłoszenia przyjęte formalnie
       *[many] { $n } zgłoszeń przyjętych formalnie
    }
admin_editions-public_page = Strona publiczna edycji
admin_editions-preview = Podgląd strony edycji
admin_editions-move_to = Przejdź do etapu: { $state }
admin_editions-next_blocked = Następny etap ({ $state }) jest jeszcze niedostępny.
admin_editions-categories_locked = Kategorie są zamknięte: edycja nie jest już szkicem.
admin_editions-criteria_frozen = Kryteria zostały opublikowane z naborem i są zamrożone.
admin_editions-add_category = Dodaj kategorię
admin_editions-edit_category = Edycja kategorii
admin_editions-add_criterion = Dodaj kryterium
admin_editions-edit_criterion = Edycja kryterium
admin_editions-details = Dane edycji

## Entries
entry-new = Dodaj zgłoszenie
entry-new_title = Nowe zgłoszenie
entry-edit_title = Edycja zgłoszenia
entry-view = Podgląd zgłoszenia
entry-back = Powrót do zgłoszenia
entry-closed_title = Nabór zgłoszeń jest zamknięty
entry-closed_text = Nabór zgłoszeń został zakończony. Termin składania zgłoszeń: { $time }.
entry-deadline = Termin składania zgłoszeń
entry-correction_deadline = Termin poprawienia zgłoszenia
entry-status = Stan
entry-status_draft = wersja robocza
entry-status_submitted = wysłane
entry-status_withdrawn = wycofane
entry-status_accepted = przyjęte formalnie
entry-status_rejected = odrzucone formalnie
entry-status_returned = do poprawy
entry-category = Kategoria
entry-category_locked = W trakcie poprawy nie można zmienić kategorii.
entry-title = Nazwa projektu
entry-hint_title = W brzmieniu, w jakim ma zostać przedstawiona jury i podana w wynikach.
entry-summary = Streszczenie
entry-hint_summary = Najwyżej 1000 znaków (teraz: { $n }).
entry-description = Opis projektu
entry-hint_description = Cel, rozwiązanie, korzyści dla mieszkańców, innowacyjność, efekty.
entry-started_on = Data rozpoczęcia projektu
entry-launched_on = Data uruchomienia
entry-budget = Budżet projektu
entry-hint_budget = Np. 1 250 000,00.
entry-funding = Źródła finansowania
entry-hint_funding = Np. budżet gminy, RPO WM, KPO.
entry-partners = Partnerzy
entry-links = Linki do działającej usługi lub portalu
entry-hint_links = Jeden adres w wierszu, zaczynający się od https://.
entry-contact = Osoba do kontaktu w sprawie zgłoszenia
entry-contact_name = Imię i nazwisko osoby do kontaktu
entry-contact_email = E-mail osoby do kontaktu
entry-contact_phone = Telefon osoby do kontaktu
entry-accept_rules = Akceptuję regulamin konkursu.
entry-hint_rules = Wymagane do wysłania zgłoszenia.
entry-accept_privacy = Potwierdzam zapoznanie się z klauzulą informacyjną o przetwarzaniu danych osobowych.
entry-read_rules = Przeczytaj regulamin
entry-submit = Wyślij zgłoszenie
entry-save_draft = Zapisz wersję roboczą
entry-save_changes = Zapisz zmiany
entry-edit = Edytuj zgłoszenie
entry-editable_until = Zgłoszenie można zmieniać lub wycofać do upływu terminu: { $time }.
entry-withdraw = Wycofaj zgłoszenie
entry-print = Wersja do druku
entry-printed_at = Data wydruku
entry-submitted_at = Data wysłania
entry-updated_at = Ostatnia zmiana
entry-correction_until = Termin poprawy
entry-decision_note = Uzasadnienie decyzji
entry-attachments = Załączniki
entry-attachments_hint = Zapisz zmiany w formularzu przed dodaniem załącznika.
entry-no_attachments = Brak załączników.
entry-file = Plik
entry-hint_file = PDF, PNG, JPEG, ODT lub DOCX, do 10 MB; najwyżej { $n ->
        [one] { $n } plik.
        [few] { $n } pliki.
       *[many] { $n } plików.
    }
entry-upload = Dodaj załącznik
entry-max_files_reached = Zgłoszenie ma już { $n ->
        [one] { $n } załącznik
        [few] { $n } załączniki
       *[many] { $n } załączników
    }, czyli najwięcej, ile można dodać.
entry-err_category = Wybierz kategorię tej edycji.
entry-err_closed = Termin minął: zgłoszenia nie można już zmienić. Nic nie zostało zapisane.
entry-err_limit = Twoja instytucja wykorzystała limit zgłoszeń w tej kategorii. Wybierz inną kategorię albo wycofaj wcześniejsze zgłoszenie.
entry-err_file_large = Plik jest za duży: najwyżej 10 MB.
entry-err_file_missing = Wybierz plik do dodania.
entry-err_file_type = Ten plik nie jest dokumentem PDF, PNG, JPEG, ODT ani DOCX (sprawdzamy zawartość, nie nazwę).
entry-err_too_many_files = Zgłoszenie może mieć najwyżej 5 załączników.
entry-err_until_past = Termin poprawy musi być w przyszłości.
dashboard-no_entries = Twoja instytucja nie ma jeszcze zgłoszeń.
dashboard-your_entries = Zgłoszenia instytucji

## Formal check
review-title = Zgłoszenia
review-counts = Liczba zgłoszeń w kategoriach
review-all_categories = Wszystkie kategorie
review-all_statuses = Wszystkie stany (bez wersji roboczych)
review-csv = Pobierz wszystkie jako CSV
review-decision = Ocena formalna
review-accept = Przyjmij formalnie
review-reject = Odrzuć (podaj uzasadnienie)
review-return = Zwróć do poprawy (podaj uzasadnienie i termin)
review-reason = Uzasadnienie
review-hint_reason = Wymagane przy odrzuceniu i zwrocie; uzasadnienie otrzyma osoba zgłaszająca.
review-until = Termin poprawy
review-hint_until = Tylko przy zwrocie do poprawy. Data i godzina w formacie DD.MM.RRRR, GG:MM, czas polski.
review-save_decision = Zapisz decyzję
review-decided_at = Data decyzji
review-history = Historia zgłoszenia
review-err_not_decidable = Decyzję można podjąć tylko dla wysłanego zgłoszenia, po terminie naboru.

## Flash (entries and editions)
flash-edition_created = Edycja została utworzona.
flash-state_changed = Edycja przeszła do następnego etapu.
flash-deleted = Usunięto.
flash-entry_created = Zapisano wersję roboczą. Możesz teraz dodać załączniki.
flash-entry_submitted = Zgłoszenie zostało wysłane. Potwierdzenie wysłaliśmy e-mailem.
flash-entry_withdrawn = Zgłoszenie zostało wycofane.
flash-file_added = Załącznik został dodany.
flash-file_removed = Załącznik został usunięty.
flash-decision_saved = Decyzja została zapisana. Osoba zgłaszająca dostanie powiadomienie e-mailem.

## Emails about entries
email-submitted-subject = Potwierdzenie wysłania zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”
email-submitted-body = Potwierdzamy, że zgłoszenie do konkursu „Samorządowy Lider Cyfryzacji” zostało wysłane. Dane zgłoszenia podajemy poniżej.
email-submitted-action = Zobacz zgłoszenie
email-submitted-until = Zgłoszenie można zmienić lub wycofać do upływu terminu składania zgłoszeń: { $time }.
email-submitted-at = Data wysłania
email-accepted-subject = Zgłoszenie przyjęte formalnie – konkurs „Samorządowy Lider Cyfryzacji”
email-accepted-body = Zgłoszenie „{ $title }” zostało przyjęte formalnie i trafi do oceny jury.
email-rejected-subject = Zgłoszenie odrzucone formalnie – konkurs „Samorządowy Lider Cyfryzacji”
email-rejected-body = Zgłoszenie „{ $title }” nie spełnia wymogów formalnych konkursu i nie zostanie ocenione przez jury. Uzasadnienie decyzji podajemy poniżej.
email-returned-subject = Zgłoszenie do poprawy – konkurs „Samorządowy Lider Cyfryzacji”
email-returned-body = Zgłoszenie „{ $title }” wymaga poprawy. Uzasadnienie i termin poprawy podajemy poniżej. Popraw zgłoszenie i wyślij je ponownie przed upływem tego terminu.

## Jury
nav-jury = Ocena zgłoszeń
jury-title = Ocena zgłoszeń
jury-admin_title = Jury
jury-back = ← Wszystkie przydzielone zgłoszenia
jury-blind_note = Ocena anonimowa: nazwy instytucji są ukryte.
jury-declaration = Deklaracja
jury-declaration_title = Deklaracja bezstronności i poufności
jury-declaration_text = Przed otwarciem zgłoszeń potwierdź, że ocenisz je bezstronnie, zgłosisz każdy konflikt interesów i zachowasz w poufności treść zgłoszeń oraz obrady jury.
jury-declaration_accept = Oświadczam, że będę oceniać bezstronnie i zachowam poufność.
jury-declaration_submit = Składam deklarację
jury-declared_at = Data złożenia deklaracji: { $time }.
jury-need_declaration = Najpierw złóż deklarację bezstronności i poufności.
jury-progress = Ocenione: { $done } z { $total }
jury-juror_progress = Ocenione: { $done } z { $total }
jury-your_entries = Zgłoszenia do oceny
jury-status_todo = do oceny
jury-status_draft = wersja robocza oceny
jury-status_submitted = ocenione
jury-status_conflict = konflikt interesów
jury-conflict_declare = Zgłoś konflikt interesów
jury-conflict_hint = Np. zatrudnienie w tej instytucji lub udział w przygotowaniu projektu. Zgłoszeń tej instytucji nie będziesz oceniać.
jury-conflict_institution = Instytucja
jury-conflict_reason = Powód
jury-conflict_submit = Zgłoś konflikt
jury-conflict_record = Zapisz konflikt
jury-conflict_title = Konflikt interesów
jury-conflict_text = Zgłoszono konflikt interesów z instytucją, która złożyła to zgłoszenie. Nie możesz go otworzyć ani ocenić.
jury-closed_title = Ocena jest niedostępna
jury-conflicts = Konflikty interesów
jury-no_conflicts = Nie zgłoszono konfliktów interesów.
jury-score_title = Twoja ocena
jury-comment = Uzasadnienie oceny
jury-hint_comment = Wymagane przy wysłaniu oceny. Instytucja może je zobaczyć po ogłoszeniu wyników (bez Twojego nazwiska).
jury-submit = Wyślij ocenę
jury-save_draft = Zapisz wersję roboczą oceny
jury-submitted_locked = Ocena została wysłana i jest zablokowana.
jury-total = Wynik ważony
jury-err_score_missing = Przyznaj punkty w tym kryterium.
jury-err_score_range = Wpisz liczbę całkowitą od 0 do { $max }.
jury-err_comment = Uzasadnij ocenę.
jury-err_locked = Ocena została już wysłana. Zmiana wymaga ponownego otwarcia przez organizatorów konkursu.
jury-err_not_judging = Edycja nie jest na etapie oceny jury.
jury-err_deadline = Termin oceny minął: ocen nie można już zmieniać.
jury-err_finalised = Protokół jury został zatwierdzony: oceny i nagrody są zablokowane.
jury-err_declaration = Aby kontynuować, złóż deklarację.
jury-err_institution = Wybierz instytucję biorącą udział w tej edycji.
jury-err_already_active = Ta osoba ma już aktywne konto członka jury.
jury-err_invite_limit = Wyczerpano na razie limit zaproszeń do jury. Spróbuj ponownie później.
jury-err_pick_entry = Wybierz zgłoszenie.
jury-settings = Zasady oceny
jury-settings_locked = Zasady oceny zostały ustalone przed rozpoczęciem oceny i nie można ich zmienić.
jury-aggregation = Sposób łączenia ocen
jury-hint_aggregation = Średnia wyników ważonych albo wyniki normalizowane osobno dla każdego członka jury (wyrównuje różnice między surowym a łagodnym ocenianiem).
jury-tie_break = Rozstrzyganie remisów
jury-hint_tie_break = Przy równym wyniku decyduje wyższa średnia w tym kryterium, potem mediana wyników członków jury.
jury-no_tie_criterion = Tylko mediana wyników członków jury
jury-blind = Ocena anonimowa (członkowie jury nie widzą nazw instytucji)
jury-show_scores = Po ogłoszeniu wyników instytucje widzą punkty i uzasadnienia swoich zgłoszeń
jury-jurors = Członkowie jury i ich kategorie
jury-no_jurors = W jury nie ma jeszcze nikogo. Zaproś członków jury poniżej.
jury-not_active = zaproszenie nieprzyjęte
jury-categories_of = Kategorie oceniane przez: { $name }
jury-save_categories = Zapisz kategorie
jury-reinvite = Wyślij zaproszenie ponownie
jury-progress_title = Postęp oceny w kategoriach
jury-assigned = Przydziały
jury-remind = Przypomnij o ocenie członkom jury, którzy jej nie zakończyli
jury-invite = Zaproś członka jury
jury-invite_send = Wyślij zaproszenie
jury-affiliation = Afiliacja
jury-invite_title = Zaproszenie do jury
jury-invite_intro = Zaproszenie do jury dla: { $name }. Ustaw hasło, aby rozpocząć ocenę zgłoszeń.
jury-invite_submit = Ustaw hasło
jury-assigned_entries = Przydzielone zgłoszenia
jury-reopen = Otwórz ocenę ponownie
jury-unassign = Usuń z listy
jury-assign_one = Dodaj pojedyncze zgłoszenie
jury-assign = Dodaj
jury-entry = Zgłoszenie

## Ranking and awards
ranking-title = Ranking i nagrody
ranking-intro = Ranking jest propozycją; decyzję o nagrodach podejmują organizatorzy konkursu. Sposób łączenia ocen:
ranking-agg_mean = średnia wyników ważonych członków jury
ranking-agg_normalised = średnia wyników normalizowanych osobno dla każdego członka jury
ranking-csv = Arkusz wszystkich ocen (CSV)
ranking-locked = Nagrody można przyznawać na etapie oceny, do zatwierdzenia protokołu.
ranking-no_entries = Brak przyjętych zgłoszeń.
ranking-rank = Miejsce
ranking-score = Wynik
ranking-mean = średnia
ranking-count = Oceny
ranking-min_max = Min – maks
ranking-spread = Rozrzut
ranking-per_juror = Wyniki członków jury
ranking-award = Nagroda
ranking-tie = remis
ranking-by_criterion = rozstrzygnięte kryterium dodatkowym
ranking-by_median = rozstrzygnięte medianą
ranking-unscored = brak ocen
ranking-incomplete = nie wszyscy członkowie jury ocenili
ranking-juror = Członek jury
ranking-points = Punkty
ranking-weighted = Wynik ważony
ranking-review_status = Stan oceny
ranking-conflict = konflikt interesów
ranking-comment = Uzasadnienie
ranking-yes = tak
ranking-tie_rule_criterion = wyższa średnia w kryterium „{ $criterion }”, potem wyższa mediana wyników członków jury; pozostałe remisy są pokazane jako remisy.
ranking-tie_rule_median = wyższa mediana wyników członków jury; pozostałe remisy są pokazane jako remisy.
award-first = I miejsce
award-second = II miejsce
award-third = III miejsce
award-mention = wyróżnienie
award-none = — bez nagrody —
award-ex_aequo = Przyznaję miejsca ex aequo (ta sama lokata dla kilku zgłoszeń)
award-ex_aequo_short = ex aequo
award-save = Zapisz nagrody w kategorii
award-err_duplicate = { $place } przyznano kilku zgłoszeniom. Jeśli to decyzja jury, zaznacz „ex aequo”.

## Protocol
protocol-title = Protokół jury
protocol-generated = Wygenerowano
protocol-final_at = Data zatwierdzenia protokołu: { $time }. Oceny i nagrody są zablokowane.
protocol-not_final = Protokół nie jest jeszcze zatwierdzony: oceny i nagrody mogą się zmienić.
protocol-finalise = Zatwierdź protokół
protocol-jury = Skład jury
protocol-rules = Zasady oceny
protocol-aggregation = Łączenie ocen
protocol-tie_break = Remisy rozstrzyga
protocol-scores = Oceny zgłoszeń
protocol-chain = Rejestr prac jury
protocol-chain_hint = Każda wysłana i ponownie otwarta ocena, każdy konflikt interesów, każda decyzja o nagrodach i zatwierdzenie protokołu są dopisywane do rejestru, w którym każdy wpis zawiera skrót poprzedniego. Polecenie „konkurs audit verify” sprawdza, czy nie zmieniono żadnego wpisu ani żadnej oceny.
protocol-chain_seq = Numer ostatniego wpisu
protocol-chain_head = Skrót ostatniego wpisu (SHA-256)
protocol-chain_empty = Rejestr nie ma jeszcze wpisów.

## Results
results-title = Wyniki
results-published_at = Data ogłoszenia wyników: { $time }.
results-none = W tej kategorii nie przyznano nagród.
results-download = Pobierz wyniki
results-award = Nagroda
results-err_not_judging = Nagrody przyznaje się na etapie oceny jury.
results-err_no_awards = Przyznaj najpierw nagrody.
results-err_not_published = Wyniki nie zostały jeszcze opublikowane.
results-err_settings_locked = Zasad oceny nie można zmienić po rozpoczęciu oceny.
edition-err_protocol = Najpierw zatwierdź protokół jury.
feedback-title = Wyniki oceny zgłoszenia
feedback-juror = Członek jury
feedback-comments = Uzasadnienia członków jury

## Announcement
announce-title = Ogłoszenie wyników
announce-reach = Do kogo dotarło ogłoszenie
announce-reached = dostarczono
announce-queued = w kolejce
announce-failed = nie udało się wysłać
announce-not_sent = jeszcze nie wysłano
announce-send_title = Wyślij ogłoszenie
announce-extra = Dodatkowi odbiorcy (np. media)
announce-hint_extra = Adresy e-mail oddzielone przecinkami lub w osobnych wierszach. Otrzymają wyniki: nagrodzone i wyróżnione zgłoszenia.
announce-only_unreached = Ogłoszenie trafia tylko do instytucji i adresów, do których jeszcze nie zostało wysłane. Ponownie wysyłane są tylko wiadomości, których nie udało się dostarczyć.
announce-send = Wyślij ogłoszenie
announce-err_extra = Wpisz poprawne adresy e-mail (najwyżej 200).
announce-err_already_sent = Ogłoszenie zostało już wysłane do tych odbiorców. Nie wysłano go ponownie.
announce-snippet = Tekst do komunikatu prasowego
announce-snippet_text = Zwykły tekst
announce-snippet_html = HTML
announce-preview = Podgląd wiadomości
announce-preview_count = 
    { $n ->
        [one] { $n } wiadomość do wysłania
        [few] { $n } wiadomości do wysłania
       *[many] { $n } wiadomości do wysłania
    }

## Flash (jury and results)
flash-declared = Deklaracja została złożona. Możesz oceniać zgłoszenia.
flash-conflict_saved = Konflikt interesów został zapisany.
flash-score_submitted = Ocena została wysłana.
flash-juror_invited = Zaproszenie do jury zostało wysłane.
flash-reminded = Przypomnienia zostały wysłane.
flash-score_already_submitted = Ocena tego zgłoszenia została już wysłana wcześniej. Nic nie zmieniono.
flash-nobody_to_remind = Wszyscy członkowie jury zakończyli ocenę.
flash-reopened = Ocena została otwarta ponownie.
flash-awards_saved = Nagrody zostały zapisane.
flash-protocol_final = Protokół został zatwierdzony.
publication-title = Publikacja wyników
publication-schedule = Termin publikacji
publication-publish_at = Data i godzina publikacji
publication-announce = Ogłoszenie e-mailem
publication-announce_yes = tak, w chwili publikacji
publication-announce_no = nie
publication-announce_label = Wyślij ogłoszenie wyników e-mailem w chwili publikacji
publication-announce_hint = Wiadomość otrzyma każda osoba z instytucji, które wzięły udział w konkursie.
publication-none = Publikacja wyników nie jest zaplanowana.
publication-save = Zaplanuj publikację
publication-change = Zmień termin publikacji
publication-cancel = Anuluj zaplanowaną publikację
publication-preview = Podgląd wyników
publication-preview_hint = Do chwili publikacji wyniki widzą tylko organizatorzy.
schedule-err_past = Termin publikacji musi być w przyszłości.
schedule-err_none = Publikacja wyników nie jest zaplanowana.
flash-publication_scheduled = Zapisano termin publikacji wyników.
flash-publication_cancelled = Anulowano zaplanowaną publikację wyników.
flash-announced = Ogłoszenie zostało przekazane do wysyłki.

## Emails (jury and results)
email-greeting_plain = Dzień dobry,
email-juror_invite-subject = Zaproszenie do jury konkursu „Samorządowy Lider Cyfryzacji”
email-juror_invite-body = Zapraszamy do udziału w pracach jury konkursu „Samorządowy Lider Cyfryzacji”. Aby zobaczyć przydzielone zgłoszenia, ustaw hasło do konta.
email-juror_invite-action = Ustaw hasło
email-reminder-subject = Przypomnienie o ocenie zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”
email-reminder-body =
    Przypominamy o ocenie zgłoszeń w konkursie „Samorządowy Lider Cyfryzacji”.
    Edycja: { $edition }
    Liczba zgłoszeń do oceny: { $left }
    Termin oceny: { $time }
email-reminder-action = Przejdź do oceny
email-results_laureate-subject = Gratulacje! Wyniki konkursu „Samorządowy Lider Cyfryzacji”
email-results_laureate-body = Ogłosiliśmy wyniki konkursu „Samorządowy Lider Cyfryzacji”. Z przyjemnością informujemy, że jury nagrodziło { $n ->
        [one] zgłoszenie
       *[other] zgłoszenia
    } Twojej instytucji. Serdecznie gratulujemy!
email-results_mention-body = Ogłosiliśmy wyniki konkursu „Samorządowy Lider Cyfryzacji”. Z przyjemnością informujemy, że jury wyróżniło { $n ->
        [one] zgłoszenie
       *[other] zgłoszenia
    } Twojej instytucji. Serdecznie gratulujemy!
email-results_thanks-subject = Wyniki konkursu „Samorządowy Lider Cyfryzacji”
email-results_thanks-body = Ogłosiliśmy wyniki konkursu „Samorządowy Lider Cyfryzacji”. Dziękujemy za udział w konkursie i za przygotowanie { $n ->
        [one] zgłoszenia
       *[other] zgłoszeń
    }. Wyniki podajemy poniżej.
email-results_not_awarded = bez miejsca w tej kategorii
email-results_action = Zobacz pełne wyniki
email-results_thanks_all = Dziękujemy wszystkim instytucjom za zgłoszenia i zapraszamy do udziału w kolejnej edycji konkursu.
email-label-institution = Instytucja
email-label-edition = Edycja
email-label-entry = Zgłoszenie
email-label-category = Kategoria
email-label-result = Wynik
email-press-subject = Wyniki konkursu „Samorządowy Lider Cyfryzacji” – informacja dla mediów
email-press-body = Przekazujemy wyniki konkursu „Samorządowy Lider Cyfryzacji”: nagrodzone i wyróżnione zgłoszenia w każdej kategorii.

## Countdowns (no JavaScript)
time-days_hours = { $days ->
        [one] { $days } dzień
       *[other] { $days } dni
    } { $hours } godz.
time-hours_minutes = { $hours } godz. { $minutes } min
time-minutes = { $minutes } min

## Confirmations before final steps (nothing final happens by accident)
entry-review_submit = Sprawdź i wyślij zgłoszenie
entry-review_resubmit = Sprawdź i wyślij poprawione zgłoszenie
entry-review_hint = Zgłoszenie zostanie wysłane dopiero po potwierdzeniu na następnej stronie. Klawisz Enter zapisuje wersję roboczą.
flash-entry_saved_review = Zapisaliśmy zgłoszenie jako wersję roboczą. Sprawdź je i potwierdź wysłanie.
confirm-entry_title = Wysłać zgłoszenie?
confirm-entry_resubmit_title = Wysłać poprawione zgłoszenie?
confirm-entry_effect = Po potwierdzeniu zgłoszenie zostanie wysłane i trafi do oceny formalnej. Do końca naboru można je jeszcze zmienić lub wycofać.
confirm-entry_resubmit_effect = Po potwierdzeniu poprawione zgłoszenie zostanie wysłane ponownie do oceny formalnej.
confirm-entry_email = Potwierdzenie wyślemy e-mailem na adres podany niżej.
confirm-to_address = Adres e-mail do potwierdzenia
confirm-attachments = Liczba załączników
confirm-entry_button = Wyślij zgłoszenie
confirm-entry_resubmit_button = Wyślij poprawione zgłoszenie
confirm-entry_back = Wróć do formularza (bez wysyłania)
confirm-entry_incomplete = Zgłoszenie nie jest kompletne. Wróć do formularza i uzupełnij wymagane pola.
jury-review_hint = Ocena zostanie wysłana dopiero po potwierdzeniu na następnej stronie; wysłanej oceny nie można już zmienić bez ponownego otwarcia przez organizatorów konkursu. Klawisz Enter zapisuje wersję roboczą.
jury-review_submit = Sprawdź i wyślij ocenę
confirm-score_title = Wysłać ocenę?
confirm-score_locks = Po wysłaniu ocena zostanie zablokowana. Zmienić ją będzie można tylko wtedy, gdy organizatorzy konkursu otworzą ją ponownie.
confirm-score_button = Wyślij ocenę
confirm-score_back = Wróć do oceny (bez wysyłania)
confirm-score_incomplete = Ocena nie jest kompletna. Wróć do formularza, przyznaj punkty we wszystkich kryteriach i uzasadnij ocenę.
confirm-protocol_title = Zatwierdzić protokół?
confirm-protocol_effect = Po zatwierdzeniu protokołu oceny, przydziały, konflikty interesów i nagrody zostaną zablokowane. Tego kroku nie można cofnąć.
confirm-protocol_publish = Zatwierdzony protokół jest warunkiem opublikowania wyników.
confirm-protocol_awards = Liczba przyznanych nagród i wyróżnień
confirm-protocol_unscored = Liczba ocen, których jury jeszcze nie wysłało
confirm-protocol_button = Zatwierdź protokół
confirm-protocol_already = Protokół został już zatwierdzony
confirm-protocol_back = Wróć do protokołu (bez zmian)
confirm-publish_title = Opublikować wyniki?
confirm-publish_effect = Wyniki pojawią się na publicznej stronie konkursu i będą dostępne dla wszystkich. Ocen i nagród nie będzie można już zmienić.
confirm-publish_no_mail = Publikacja nie wysyła e-maili. Wiadomości z wynikami wysyła się osobno, na stronie ogłoszenia wyników, po sprawdzeniu odbiorców.
confirm-results_page = Adres strony wyników
confirm-publish_button = Opublikuj wyniki
confirm-edition_back = Wróć do strony edycji konkursu (bez zmian)
confirm-disable_title = Zablokować konto?
confirm-disable_effect = Osoba korzystająca z tego konta nie będzie mogła się zalogować, a jej otwarte sesje zostaną zakończone od razu.
confirm-disable_undo = Zakończonych sesji nie można przywrócić. Konto można później odblokować na liście użytkowników.
confirm-disable_email = Adres e-mail
confirm-disable_back = Wróć do listy użytkowników (bez zmian)
confirm-disable_already = To konto jest już zablokowane.
confirm-withdraw_title = Wycofać zgłoszenie?
confirm-withdraw_effect = Wycofane zgłoszenie nie będzie oceniane ani nagradzane.
confirm-withdraw_edition = Edycja
confirm-withdraw_back = Wróć do zgłoszenia (bez zmian)
confirm-withdraw_already = Zgłoszenie zostało już wycofane.
confirm-withdraw_refused = Tego zgłoszenia nie można już wycofać.
confirm-open_title = Otworzyć nabór zgłoszeń?
confirm-open_effect = Edycja stanie się publiczna, a instytucje będą mogły wysyłać zgłoszenia do końca naboru. Kategorii i kryteriów oceny nie będzie można już zmienić.
confirm-no_undo = Tego kroku nie można cofnąć.
confirm-opens_at = Początek naboru
confirm-closes_at = Koniec naboru
confirm-open_button = Otwórz nabór
confirm-close_title = Zamknąć nabór zgłoszeń?
confirm-close_effect = Instytucje nie będą mogły już wysyłać zgłoszeń. Zgłoszenia wysłane przed końcem naboru czekają na ocenę formalną.
confirm-close_undecided = Liczba zgłoszeń czekających na ocenę formalną
confirm-close_button = Zamknij nabór
confirm-already_open = Nabór zgłoszeń został już otwarty.
confirm-already_closed = Nabór zgłoszeń został już zamknięty.
confirm-already_judging = Ocena zgłoszeń została już rozpoczęta.
confirm-already_published = Wyniki są już opublikowane.
confirm-announce_title = Wysłać ogłoszenie wyników?
confirm-announce_effect = Po potwierdzeniu wiadomości zostaną wysłane do wszystkich odbiorców wymienionych niżej. Wysłanych wiadomości nie można wycofać.
confirm-announce_counts = Odbiorcy według rodzaju
confirm-announce_audience = Rodzaj odbiorców
confirm-announce_institutions = Liczba instytucji
confirm-announce_people = Liczba odbiorców
confirm-announce_total = Razem
confirm-announce_preview = Podgląd wiadomości
confirm-announce_preview_hint = Każda osoba dostanie wiadomość w swoim języku, taką jak w podglądzie.
confirm-announce_to = Do
confirm-announce_subject = Temat
confirm-announce_button = Wyślij ogłoszenie
confirm-announce_back = Wróć do ogłoszenia wyników (bez wysyłania)
confirm-announce_nobody = Nie ma nowych odbiorców: ogłoszenie zostało już wysłane do wszystkich instytucji i do podanych adresów dodatkowych.
announce-audience_laureates = Laureaci (instytucje z miejscem lub wyróżnieniem)
announce-audience_participants = Uczestnicy bez nagrody
announce-audience_press = Media i inne adresy dodatkowe
announce-review = Sprawdź odbiorców i podgląd wiadomości
confirm-remind_title = Wysłać przypomnienia?
confirm-remind_effect = Przypomnienie dostaną tylko osoby z jury, które mają jeszcze do wysłania oceny zgłoszeń przydzielonych im bez konfliktu interesów.
confirm-remind_count = Liczba osób z jury, które dostaną przypomnienie
confirm-remind_deadline = Termin oceny
confirm-remind_button = Wyślij przypomnienia
confirm-remind_back = Wróć do strony jury (bez wysyłania)
confirm-remind_nobody = Nikt nie ma już ocen do wysłania: przypomnienia nie są potrzebne.
confirm-remind_all_recent = Wszystkim osobom z jury, które mają jeszcze oceny do wysłania, przypomniano w ciągu ostatnich 24 godzin. Kolejne przypomnienie można wysłać później.
confirm-remind_recent_effect = Osoby z jury, którym przypomniano w ciągu ostatnich 24 godzin, nie dostaną teraz kolejnego przypomnienia.
confirm-remind_recent_count = Liczba osób z jury, którym przypomniano w ciągu ostatnich 24 godzin
confirm-remind_list = Kto dostanie przypomnienie
confirm-remind_recent_list = Komu przypomniano w ciągu ostatnich 24 godzin
confirm-remind_juror = Osoba z jury
confirm-remind_left = Liczba zgłoszeń do oceny
confirm-remind_when = Ostatnie przypomnienie
confirm-judging_title = Rozpocząć ocenę zgłoszeń?
confirm-judging_effect = Osoby z jury zobaczą przydzielone im zgłoszenia i będą mogły je oceniać do terminu oceny. Ustawień oceny nie będzie można już zmienić.
confirm-judging_mail = Każda osoba z jury, która ma zgłoszenia do oceny, dostanie e-mail z ich liczbą, terminem oceny i linkiem do portalu.
confirm-judging_told = Liczba osób z jury, które dostaną e-mail
confirm-judging_button = Rozpocznij ocenę
remind-err_not_judging = Przypomnienia można wysyłać tylko w czasie oceny zgłoszeń.
remind-err_deadline = Termin oceny minął: przypomnień już się nie wysyła.
remind-err_finalised = Protokół jest zatwierdzony: przypomnień już się nie wysyła.
remind-err_published = Wyniki są opublikowane: przypomnień już się nie wysyła.

## Jurors' emails: the invitation and the start of judging
email-edition = Edycja konkursu
email-judging_deadline = Termin oceny
email-categories = Kategorie
email-judging_open-subject = Rozpoczęła się ocena zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”
email-judging_open-body = Rozpoczęła się ocena zgłoszeń w konkursie. Poniżej podajemy liczbę zgłoszeń przydzielonych Ci do oceny i termin jej zakończenia.
email-judging_open-count = Liczba zgłoszeń do oceny
email-judging_open-declaration = Przed pierwszą oceną zaakceptuj w portalu deklarację bezstronności i poufności.
email-judging_open-action = Przejdź do oceny

## Formularze, numery zgłoszeń, nagrody (issue 10)
register-consent_label = Informacja o przetwarzaniu danych osobowych
entry-reference = Numer zgłoszenia
entry-reference_none = nadawany przy wysłaniu
award-order = Kolejność wyróżnienia
award-hint_order = Liczba od 1; wyróżnienia bez numeru są wymieniane po nich, w kolejności rankingu.
award-err_order = Podaj liczbę od 1 do 999 albo zostaw pole puste.
entry-result = Wynik konkursu
entry-result_none = zgłoszenie nie znalazło się wśród nagrodzonych i wyróżnionych
entry-first_file = Załącznik
entry-hint_file_again = Jeśli formularz wróci z uwagami, wybierz plik ponownie (przeglądarka go nie zachowuje).
entry-attachments_in_form = Pierwszy załącznik możesz dodać w formularzu powyżej; kolejne dodasz po zapisaniu zgłoszenia.
flash-entry_created_file_failed = Zgłoszenie zostało zapisane, ale nie udało się dodać załącznika. Dodaj go ponownie poniżej.

## Texts and hints from the outside review (issue 10)
hint-date = Format DD.MM.RRRR, np. 15.03.2026.
entry-budget_input = Budżet projektu w złotych
email-verify-not_you = Jeśli nie rejestrujesz instytucji w konkursie, zignoruj tę wiadomość.
sitetexts-gap_placeholder_en = { $doc } — { $version }: zostały fragmenty do uzupełnienia („[fill in: …]”).
results-mentions_n = { $n ->
        [one] Wyróżnienie
       *[other] Wyróżnienia
    }
jury-weight = waga
edition-rules_pl_only = Regulamin jest dostępny tylko po polsku.
results-ref = numer zgłoszenia: { $ref }
confirm-judging_unassigned = Liczba przyjętych zgłoszeń bez przydzielonego członka jury
confirm-judging_unassigned_warning = Uwaga: część przyjętych zgłoszeń nie ma przydzielonego żadnego członka jury i nikt ich nie oceni. Przydziel kategorie lub zgłoszenia na stronie jury, zanim rozpoczniesz ocenę.
flash-protocol_already_final = Protokół został już wcześniej zatwierdzony. Nic nie zmieniono.

## Two-factor sign-in
two_factor-title = Logowanie dwuetapowe
two_factor-intro = Przy logowaniu, oprócz hasła, podasz kod z aplikacji uwierzytelniającej w telefonie. Nawet ktoś, kto pozna hasło, nie zaloguje się bez tego kodu.
two_factor-step_app = Zainstaluj w telefonie aplikację uwierzytelniającą obsługującą kody TOTP (na przykład FreeOTP, Aegis, Google Authenticator lub Microsoft Authenticator).
two_factor-step_scan = Zeskanuj w niej kod QR albo wpisz ręcznie klucz podany pod kodem.
two_factor-step_code = Wpisz poniżej sześciocyfrowy kod, który pokazuje aplikacja.
two_factor-secret_label = Klucz do wpisania ręcznie:
two_factor-enable_submit = Włącz logowanie dwuetapowe
two_factor-due = Organizator wymaga logowania dwuetapowego od organizatorów i członków jury. Włącz je, aby korzystać z serwisu.
two_factor-on = Logowanie dwuetapowe jest włączone.
two_factor-enabled_at = Data włączenia
two_factor-recovery_codes = Kody zapasowe
two_factor-recovery_left = { $n ->
        [one] { $n } niewykorzystany kod
        [few] { $n } niewykorzystane kody
       *[many] { $n } niewykorzystanych kodów
    }
two_factor-disable_title = Wyłączenie logowania dwuetapowego
two_factor-disable_intro = Aby wyłączyć logowanie dwuetapowe, podaj hasło i kod z aplikacji albo kod zapasowy. Zapamiętane przeglądarki przestaną być rozpoznawane.
two_factor-disable_submit = Wyłącz logowanie dwuetapowe
two_factor-codes_title = Kody zapasowe
two_factor-codes_done = Logowanie dwuetapowe zostało włączone.
two_factor-codes_intro = Jeśli stracisz dostęp do telefonu, zalogujesz się jednym z tych kodów zamiast kodu z aplikacji. Każdy kod działa tylko raz. Zapisz je lub wydrukuj i przechowuj w bezpiecznym miejscu.
two_factor-codes_once = Kody są pokazywane tylko teraz. Serwis przechowuje je w postaci, z której nie można ich odczytać.
two_factor-codes_continue = Przejdź do swojego konta
two_factor-code_title = Kod logowania dwuetapowego
two_factor-code_intro = Hasło jest poprawne. Podaj kod z aplikacji uwierzytelniającej albo jeden z kodów zapasowych.
two_factor-code_submit = Zaloguj się
two_factor-code_invalid = Kod jest nieprawidłowy albo został już użyty. Wpisz aktualny kod z aplikacji lub niewykorzystany kod zapasowy.
two_factor-remember = { $n ->
        [one] Zapamiętaj tę przeglądarkę na { $n } dzień
        [few] Zapamiętaj tę przeglądarkę na { $n } dni
       *[many] Zapamiętaj tę przeglądarkę na { $n } dni
    }
field-two_factor_code = Kod z aplikacji lub kod zapasowy
field-two_factor_app_code = Kod z aplikacji
hint-two_factor_code = Sześć cyfr z aplikacji albo kod zapasowy w postaci xxxxx-xxxxx.
hint-two_factor_app_code = Sześć cyfr. Kod zmienia się co 30 sekund.
hint-two_factor_remember = Na tym komputerze kod nie będzie potrzebny przez ten czas. Nie zaznaczaj na komputerze, z którego korzystają inne osoby.
hint-two_factor_required = Konta organizatorów i członków jury bez logowania dwuetapowego zostaną po zalogowaniu skierowane do jego włączenia.
login-code_expired = Minął czas na podanie kodu. Zaloguj się ponownie.
flash-recovery_code_used = Zalogowano kodem zapasowym. Ten kod nie zadziała ponownie.
flash-two_factor_disabled = Logowanie dwuetapowe zostało wyłączone.
flash-two_factor_required = Logowanie dwuetapowe jest teraz wymagane od organizatorów i członków jury.
flash-two_factor_not_required = Logowanie dwuetapowe nie jest już wymagane.
flash-two_factor_reset = Logowanie dwuetapowe tego konta zostało wyłączone. Wysłano o tym wiadomość.
users-two_factor_policy = Logowanie dwuetapowe
users-two_factor_required = Wymagaj logowania dwuetapowego od organizatorów i członków jury
users-two_factor = Logowanie dwuetapowe
users-two_factor_on = włączone
users-two_factor_off = wyłączone
users-two_factor_reset = Wyłącz logowanie dwuetapowe
confirm-two_factor_reset_title = Wyłączyć logowanie dwuetapowe tego konta?
confirm-two_factor_reset_effect = Klucz, kody zapasowe i zapamiętane przeglądarki tego konta zostaną usunięte. Przy następnym logowaniu wystarczy hasło, a jeśli logowanie dwuetapowe jest wymagane – osoba ustawi je od nowa.
confirm-two_factor_reset_mail = Osoba korzystająca z konta dostanie o tym wiadomość e-mail.
confirm-two_factor_reset_own = Własne logowanie dwuetapowe wyłącza się na stronie konta, podając hasło i kod.
two_factor-setup_code_invalid = Kod jest nieprawidłowy. Wpisz aktualny kod, który pokazuje aplikacja.
confirm-two_factor_reset_off = To konto nie ma włączonego logowania dwuetapowego.
email-two_factor_off-subject = Logowanie dwuetapowe zostało wyłączone – konkurs „Samorządowy Lider Cyfryzacji”
email-two_factor_off-body = Logowanie dwuetapowe Twojego konta w serwisie konkursu „Samorządowy Lider Cyfryzacji” zostało wyłączone.
email-two_factor_off-reset_body = Organizator wyłączył logowanie dwuetapowe Twojego konta w serwisie konkursu „Samorządowy Lider Cyfryzacji”, na przykład po zgłoszeniu utraty telefonu. Możesz je włączyć ponownie w ustawieniach konta.
email-two_factor_off-when = Data zmiany
email-two_factor_off-not_you = Jeśli to nie Ty i nikt nie prosił o tę zmianę, natychmiast zmień hasło i skontaktuj się z organizatorem.
audit-kind-site_two_factor_policy = Zmieniono wymóg logowania dwuetapowego
audit-kind-user_two_factor_enable = Włączono logowanie dwuetapowe
audit-kind-user_two_factor_disable = Wyłączono logowanie dwuetapowe
audit-kind-user_two_factor_recovery = Zalogowano kodem zapasowym
audit-kind-user_two_factor_reset = Organizator wyłączył logowanie dwuetapowe konta
audit-d_two_factor_required = Wymagane od organizatorów i członków jury
audit-yes = tak
audit-no = nie
two_factor-qr_label = Kod QR do zeskanowania w aplikacji uwierzytelniającej. Zawiera klucz podany niżej w tekście.
## RODO (issue 12)
account-data_download = Pobierz swoje dane (JSON)
settings-data = Twoje dane osobowe
settings-data_hint = Plik zawiera dane Twojego konta, instytucji i jej zgłoszeń (z nazwami załączników), wiadomości wysłanych do Ciebie oraz wpisy dziennika zdarzeń, które Cię dotyczą.
acknowledge-title = Zmieniona klauzula informacyjna
acknowledge-lead = Organizator zmienił informację o przetwarzaniu danych osobowych. Zapoznaj się z nią, zanim przejdziesz dalej.
acknowledge-version = Wersja klauzuli
acknowledge-button = Potwierdzam zapoznanie się z klauzulą
flash-privacy_acknowledged = Zapisano potwierdzenie zapoznania się z klauzulą informacyjną.
flash-erased_stays_blocked = Dane tej osoby zostały usunięte, więc konto pozostaje zablokowane.
flash-anonymised = Dane osobowe zostały usunięte.
users-anonymise = Usuń dane osobowe
users-anonymise_institution = Usuń dane instytucji
users-anonymised = dane usunięte
anonymise-user_title = Usunąć dane osobowe tej osoby?
anonymise-institution_title = Usunąć dane kontaktowe instytucji i dane jej członków?
anonymise-button = Usuń dane osobowe
anonymise-members = Liczba osób z konta instytucji
anonymise-user_effect = Imię i nazwisko, adres e-mail, afiliacja i hasło zostaną usunięte, a konto zablokowane. Sesje, linki i zapamiętane adresy logowania zostaną usunięte. Treść wiadomości wysłanych do tej osoby zostanie wymazana, podobnie jak dane kontaktowe w zgłoszeniach, które ją wskazują.
anonymise-institution_effect = Osoba do kontaktu, telefon i ulica instytucji, dane kontaktowe w jej zgłoszeniach, treść wiadomości do niej oraz dane osobowe wszystkich osób z jej konta zostaną usunięte.
anonymise-name_kept = Nazwa instytucji pozostaje, ponieważ opublikowane wyniki konkursu są informacją publiczną.
anonymise-audit_effect = Dziennik zdarzeń zachowa tylko informację, kto i kiedy usunął dane, bez usuniętych danych.
anonymise-final = Tej operacji nie można cofnąć.
anonymise-refused_entries = Nie można teraz usunąć tych danych: są zgłoszenia w edycji, której wyniki nie zostały jeszcze opublikowane. Liczba takich zgłoszeń: { $n }.
anonymise-refused_jury = Nie można teraz usunąć tych danych: ta osoba ma przydzielone zgłoszenia do oceny w edycji, której wyniki nie zostały jeszcze opublikowane. Liczba przydziałów: { $n }.
anonymise-refused_organiser = Danych konta organizatora nie usuwa się na tej stronie.
anonymise-already = Dane osobowe zostały już usunięte.
audit-kind-user_anonymise = Usunięto dane osobowe osoby
audit-kind-institution_anonymise = Usunięto dane kontaktowe instytucji
audit-kind-privacy_acknowledge = Potwierdzono zapoznanie się z klauzulą informacyjną
privacy-by_creating = Zakładając konto, potwierdzasz zapoznanie się z klauzulą informacyjną.
edition-retention = Okres przechowywania danych osobowych (lata od publikacji wyników)
edition-hint_retention = Po tym czasie dane osób zgłaszających i członków jury tej edycji, załączniki i treść wiadomości zostaną usunięte. Domyślnie 5.
edition-err_retention = Wpisz liczbę od 1 do 50.
audit-by_retention = upłynął okres przechowywania danych edycji

## Issue 12, continued: recovery codes, security messages, the rule's confirmation
two_factor-recovery_low = Zostały najwyżej trzy niewykorzystane kody zapasowe. Utwórz nowe, zanim się skończą.
two_factor-throttled = Zbyt wiele nieudanych prób. Spróbuj ponownie po { $time }.
two_factor-new_codes_link = Utwórz nowe kody zapasowe
two_factor-new_codes_title = Nowe kody zapasowe
two_factor-new_codes_intro = Nowe kody zastąpią wszystkie dotychczasowe: stare kody zapasowe przestaną działać. Aby je utworzyć, podaj hasło i aktualny kod z aplikacji albo kod zapasowy.
two_factor-new_codes_submit = Utwórz nowe kody
two_factor-codes_replaced = Utworzono nowe kody zapasowe. Dotychczasowe kody przestały działać.
flash-recovery_code_used_low = Zalogowano kodem zapasowym. Ten kod nie zadziała ponownie. Zostały najwyżej trzy kody zapasowe: utwórz nowe na stronie „Logowanie dwuetapowe” w ustawieniach konta.
email-two_factor_on-subject = Logowanie dwuetapowe zostało włączone – konkurs „Samorządowy Lider Cyfryzacji”
email-two_factor_on-body = Logowanie dwuetapowe Twojego konta w serwisie konkursu „Samorządowy Lider Cyfryzacji” zostało włączone. Przy każdym logowaniu, oprócz hasła, trzeba będzie podać kod z aplikacji uwierzytelniającej albo kod zapasowy.
email-two_factor_codes-subject = Nowe kody zapasowe – konkurs „Samorządowy Lider Cyfryzacji”
email-two_factor_codes-body = Dla Twojego konta w serwisie konkursu „Samorządowy Lider Cyfryzacji” utworzono nowe kody zapasowe logowania dwuetapowego. Dotychczasowe kody zapasowe przestały działać.
email-two_factor_recovery-subject = Logowanie kodem zapasowym – konkurs „Samorządowy Lider Cyfryzacji”
email-two_factor_recovery-body = Do Twojego konta w serwisie konkursu „Samorządowy Lider Cyfryzacji” zalogowano się kodem zapasowym zamiast kodu z aplikacji uwierzytelniającej. Ten kod nie zadziała ponownie.
email-two_factor_recovery-when = Data logowania
email-two_factor_recovery-low = Zostało niewiele kodów zapasowych. Utwórz nowe na stronie konta, w części „Logowanie dwuetapowe”.
audit-kind-user_two_factor_codes = Utworzono nowe kody zapasowe
audit-d_attachments_deleted = Usunięte załączniki
anonymise-attachments = Załączniki zgłoszeń do usunięcia
anonymise-attachments_effect = Pliki załączników wszystkich zgłoszeń instytucji zostaną usunięte, ponieważ mogą zawierać dane osobowe (na przykład nazwiska i podpisy). Opublikowane wyniki zachowują tylko nazwy instytucji i projektów.
confirm-two_factor_policy_on_title = Wymagać logowania dwuetapowego od organizatorów i członków jury?
confirm-two_factor_policy_off_title = Przestać wymagać logowania dwuetapowego?
confirm-two_factor_policy_staff = Konta organizatorów i członków jury
confirm-two_factor_policy_without = W tym bez logowania dwuetapowego
confirm-two_factor_policy_on_button = Wymagaj logowania dwuetapowego
confirm-two_factor_policy_off_button = Nie wymagaj logowania dwuetapowego
confirm-two_factor_policy_already_on = Logowanie dwuetapowe jest już wymagane.
confirm-two_factor_policy_already_off = Logowanie dwuetapowe nie jest wymagane.
confirm-two_factor_policy_on_effect = Konta organizatorów i członków jury bez logowania dwuetapowego zostaną po zalogowaniu skierowane do jego włączenia i do tego czasu nie będą mogły korzystać z serwisu.
confirm-two_factor_policy_on_count = { $n ->
        [0] Wszystkie te konta mają już włączone logowanie dwuetapowe.
        [one] Jedno konto musi jeszcze włączyć logowanie dwuetapowe.
        [few] { $n } konta muszą jeszcze włączyć logowanie dwuetapowe.
       *[many] { $n } kont musi jeszcze włączyć logowanie dwuetapowe.
    }
confirm-two_factor_policy_on_self = Dotyczy to także Twojego konta: jeśli nie ma logowania dwuetapowego, serwis od razu poprosi o jego włączenie.
confirm-two_factor_policy_off_effect = Organizatorzy i członkowie jury będą mogli logować się samym hasłem.
confirm-two_factor_policy_off_kept = Konta z włączonym logowaniem dwuetapowym zachowają je; każdy może je wyłączyć na stronie swojego konta.
audit-kind-user_two_factor_remember = Zapamiętano przeglądarkę na potrzeby logowania dwuetapowego
## Entry list: search, sort, award filter, neighbours, bulk accept (issue 13)
entrylist-search = Szukaj
entrylist-search_hint = W tytule, nazwie instytucji lub numerze zgłoszenia. Wielkość liter i polskie znaki nie mają znaczenia.
entrylist-award = Nagroda
entrylist-award_any = Wszystkie
entrylist-award_place = Miejsce (I–III)
entrylist-award_mention = Wyróżnienie
entrylist-award_none = Bez nagrody
entrylist-csv_filtered = Pobierz te zgłoszenia jako CSV
entrylist-select = Zaznaczenie
entrylist-select_entry = Zaznacz zgłoszenie
entrylist-bulk_open = Przyjmij formalnie zaznaczone
entrylist-bulk_title = Przyjąć formalnie zaznaczone zgłoszenia?
entrylist-bulk_button = Przyjmij formalnie
entrylist-back = Wróć do listy zgłoszeń
entrylist-bulk_none_selected = Nie zaznaczono żadnego zgłoszenia. Wróć do listy i zaznacz zgłoszenia, które chcesz przyjąć.
entrylist-bulk_none_acceptable = Żadnego z zaznaczonych zgłoszeń nie można teraz przyjąć: przyjąć formalnie można tylko zgłoszenie wysłane, po terminie naboru.
entrylist-bulk_effect =
    { $n ->
        [one] Jedno zgłoszenie zostanie przyjęte formalnie i przekazane jurorom swojej kategorii.
        [few] { $n } zgłoszenia zostaną przyjęte formalnie i przekazane jurorom swoich kategorii.
       *[many] { $n } zgłoszeń zostanie przyjętych formalnie i przekazanych jurorom swoich kategorii.
    }
entrylist-bulk_emails = Każda osoba zgłaszająca dostanie powiadomienie e-mailem, tak jak przy przyjęciu pojedynczego zgłoszenia.
entrylist-bulk_to_accept = Zgłoszenia do przyjęcia
entrylist-bulk_left = Zgłoszenia, których nie można przyjąć (pozostaną bez zmian)
entrylist-done_title = Przyjęcie zaznaczonych zgłoszeń
entrylist-done_count =
    { $n ->
        [0] Nie przyjęto żadnego zgłoszenia.
        [one] Przyjęto formalnie jedno zgłoszenie.
        [few] Przyjęto formalnie { $n } zgłoszenia.
       *[many] Przyjęto formalnie { $n } zgłoszeń.
    }
entrylist-done_accepted = Przyjęte zgłoszenia
entrylist-done_left = Zgłoszenia pozostawione bez zmian
entrylist-done_left_why = Tych zgłoszeń nie można było przyjąć: w międzyczasie zmienił się ich stan (na przykład decyzję podjęła inna osoba albo zgłoszenie wycofano).
entrylist-neighbours = Sąsiednie zgłoszenia na liście
entrylist-prev = Poprzednie zgłoszenie
entrylist-next = Następne zgłoszenie
entrylist-accept_next = Przyjmij formalnie i przejdź do następnego
entrylist-err_accept_next_other = Przycisk „Przyjmij formalnie…” tylko przyjmuje zgłoszenie. Aby je odrzucić albo zwrócić do poprawy, użyj przycisku „Zapisz decyzję”.
entrylist-accept_back = Przyjmij formalnie i wróć do listy
jury-neighbours = Sąsiednie zgłoszenia na Twojej liście
jury-prev_entry = Poprzednie zgłoszenie
jury-next_entry = Następne zgłoszenie
jury-live_total = Wynik ważony z wpisanych punktów (przed zapisaniem)
## Issue 13: attachments as ZIP, organisers' digest and juror notices
zip-entry = Pobierz wszystkie załączniki (ZIP)
zip-categories = Załączniki zgłoszeń w kategoriach (ZIP)
zip-category = Pobierz załączniki kategorii { $code } (ZIP)
zip-empty_title = Brak załączników do pobrania
zip-empty_body = Zgłoszenia, których dotyczy to pobieranie, nie mają załączników, więc nie ma czego spakować do pliku ZIP.
zip-back = Wróć
mail_settings-title = Powiadomienia e-mail
mail_settings-digest = Codzienne zestawienie nowych zgłoszeń
mail_settings-digest_hint = Raz dziennie, około 7:00, lista zgłoszeń przesłanych od poprzedniego zestawienia. Gdy nic nie wpłynęło, nie wysyłamy wiadomości.
mail_settings-juror_done = Powiadomienie, gdy członek jury oceni wszystkie zgłoszenia ze swojej listy
mail_settings-juror_done_hint = Wiadomość przy każdym zakończeniu oceny, także po ponownym otwarciu i przesłaniu oceny.
mail_settings-save = Zapisz ustawienia powiadomień
email-digest-subject = Nowe zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”
email-digest-body = { $n ->
        [one] Od poprzedniego zestawienia wpłynęło { $n } zgłoszenie.
        [few] Od poprzedniego zestawienia wpłynęły { $n } zgłoszenia.
       *[many] Od poprzedniego zestawienia wpłynęło { $n } zgłoszeń.
    } Szczegóły poniżej: numer zgłoszenia, tytuł, instytucja i link.
email-digest-action = Przejdź do listy zgłoszeń
email-digest-settings = To zestawienie można wyłączyć w ustawieniach konta, w części „Powiadomienia e-mail”.
email-juror_finished-subject = Członek jury ocenił wszystkie zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”
email-juror_finished-body = Członek jury przesłał oceny wszystkich zgłoszeń ze swojej listy.
email-juror_finished-juror = Członek jury
email-juror_finished-count = Liczba ocenionych zgłoszeń
email-juror_finished-action = Zobacz oceny członka jury
email-juror_finished-settings = Te powiadomienia można wyłączyć w ustawieniach konta, w części „Powiadomienia e-mail”.
## charts: the organisers' charts and the announcement's progress
charts-arrivals = Napływ zgłoszeń
charts-arrivals_total =
    { $n ->
        [one] Do tej pory wpłynęło { $n } zgłoszenie.
        [few] Do tej pory wpłynęły { $n } zgłoszenia.
       *[many] Do tej pory wpłynęło { $n } zgłoszeń.
    }
charts-arrivals_title = Zgłoszenia w kategorii { $code } dzień po dniu
charts-arrivals_desc = Łączna liczba zgłoszeń w kolejnych dniach od otwarcia naboru ({ $opens }); linia przerywana oznacza termin zgłoszeń ({ $closes }). Razem: { $n }.
charts-deadline = termin
charts-arrivals_empty = Nie wpłynęło jeszcze żadne zgłoszenie.
charts-arrivals_table = Zgłoszenia w kolejnych dniach (tabela)
charts-day = Dzień
charts-running_total = Razem do tego dnia
charts-progress_empty = Nie przydzielono jeszcze zgłoszeń do oceny.
charts-progress_categories_title = Postęp oceny według kategorii
charts-progress_categories_desc = Dla każdej kategorii: liczba przesłanych ocen wobec liczby ocen do wystawienia.
charts-progress_jurors_title = Postęp oceny według członków jury
charts-progress_jurors_desc = Dla każdego członka jury z przydzielonymi zgłoszeniami: liczba przesłanych ocen wobec liczby przydzielonych zgłoszeń.
charts-of = { $done } z { $total } ({ $pct }%)
charts-distribution_title = Rozkład wyników w kategorii { $code }
charts-distribution_desc = Zgłoszenia w kolejności rankingu: kropka oznacza średnią wyników ważonych członków jury, odcinek z kreskami na końcach – zakres od najniższego do najwyższego wyniku. Skala od 0 do { $max } pkt.
charts-histogram_desc = Zgłoszenia z ocenami: { $n }. Wykres pokazuje, ile z nich ma średni wynik w każdym przedziale o szerokości { $step } pkt.
charts-bin = { $from }–{ $to } pkt
charts-entries_n =
    { $n ->
        [one] { $n } zgłoszenie
        [few] { $n } zgłoszenia
       *[many] { $n } zgłoszeń
    }
charts-range_value = { $mean } ({ $min }–{ $max })
charts-distribution_empty = W tej kategorii nie ma jeszcze przesłanych ocen.
charts-distribution_table = Liczby z wykresu rozkładu wyników
charts-mean = Średnia
charts-min = Najniższy wynik
charts-max = Najwyższy wynik
charts-bin_col = Średni wynik
charts-count_col = Zgłoszenia
charts-severity_title = Skala ocen członków jury
charts-severity_desc = Dla każdego członka jury, od najwyższej średniej: kropka oznacza średnią jego wyników ważonych, odcinek – średnią plus minus odchylenie standardowe. Zakreskowany pas to średnia całego jury plus minus odchylenie standardowe ({ $mean } ± { $sd }), linia przerywana – średnia jury.
charts-severity_hint = Kropka stale poza pasem oznacza członka jury, który ocenia wyraźnie wyżej lub niżej niż pozostali. Łączenie wyników normalizowanych osobno dla każdego członka jury wyrównuje takie różnice; sposób łączenia ocen ustawia się przed etapem oceny.
charts-severity_settings = Ustawienia oceny
charts-severity_empty = Nie ma jeszcze przesłanych ocen.
charts-severity_table = Liczby z wykresu skali ocen
charts-sev_value = { $mean } ± { $sd }
charts-judgements = Oceny
charts-sd = Odchylenie standardowe
charts-diff = Różnica od średniej jury
charts-whole_jury = Całe jury
progress-title = Postęp wysyłki ogłoszenia
progress-none = Ogłoszenie nie zostało jeszcze wysłane.
progress-status = Wysłane: { $sent } z { $total }. W kolejce: { $queued }. Nieudane: { $failed }.
progress-audience = Adresaci
progress-queued = W kolejce
progress-sent = Wysłane
progress-failed = Nieudane
progress-failed_hint = Nieudane wiadomości można wysłać jeszcze raz: ponowne ogłoszenie trafi tylko do tych, do których nie dotarło, a pojedyncze wiadomości można ponowić na liście wiadomości e-mail.
progress-outbox = Wiadomości e-mail
progress-refresh = Odśwież postęp wysyłki
## end charts
