//! Field checks shared by every form. Each returns the translation key of the message to show.

use crate::domain::password;

pub type Check = Result<(), &'static str>;

/// The message key for a text longer than `max` characters: `err.too_long_n` with the limit,
/// written as one key, "err.too_long_n:120", so that a `Check` stays a plain `&'static str`;
/// `Lang::message` reads the number back into the text ("może mieć najwyżej 120 znaków"). The
/// limits are constants in the code, so only a handful of these keys are ever made.
pub fn too_long(max: usize) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashMap<usize, &'static str>>> = OnceLock::new();
    let mut keys = KEYS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    keys.entry(max).or_insert_with(|| {
        let key = format!("{}:{max}", "err.too_long_n");
        Box::leak(key.into_boxed_str())
    })
}

/// Trims and collapses the value; browsers may send anything, so nothing here panics.
pub fn clean(s: &str) -> String {
    s.trim().to_string()
}

/// Characters that have no place in text a person typed: control characters (a line break in a
/// name would end up in an email header), bidirectional overrides and isolates (they make
/// `invoice\u{202e}fdp.exe` look like a PDF), zero-width and other invisible characters, line
/// and paragraph separators, and U+FFFD (what a decoder makes of invalid UTF-8).
/// `multiline` lets line breaks and tabs through, for text areas.
pub fn is_forbidden(c: char, multiline: bool) -> bool {
    // Text areas keep line breaks and tabs, and the joiners that emoji sequences and some
    // scripts need.
    if multiline && matches!(c, '\n' | '\r' | '\t' | '\u{200C}' | '\u{200D}') {
        return false;
    }
    let always = c.is_control()
        || matches!(c,
            '\u{034F}'                 // combining grapheme joiner
            | '\u{061C}'               // Arabic letter mark
            | '\u{115F}' | '\u{1160}' // Hangul fillers
            | '\u{17B4}' | '\u{17B5}' // Khmer invisible vowels
            | '\u{180B}'..='\u{180F}' // Mongolian variation selectors, vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
            | '\u{2028}'..='\u{202E}' // line/paragraph separators, embeddings, overrides
            | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, isolates
            | '\u{2800}'               // braille blank
            | '\u{3164}' | '\u{FFA0}' // Hangul fillers
            | '\u{FDD0}'..='\u{FDEF}' // noncharacters
            | '\u{FEFF}'               // zero-width no-break space (BOM)
            | '\u{FFF9}'..='\u{FFFD}' // interlinear annotations, object and replacement characters
            | '\u{1BCA0}'..='\u{1BCA3}' // shorthand format controls
            | '\u{1D173}'..='\u{1D17A}' // musical format controls
            | '\u{E0000}'..='\u{E007F}' // tag characters
        )
        || (c as u32 & 0xFFFE) == 0xFFFE; // the noncharacters at the end of every plane
    // In a single line (a name, a title) nothing invisible has a place; text pasted into a
    // text area from a word processor legitimately carries soft hyphens, emoji presentation
    // selectors and private-use bullets.
    let single_line_only = matches!(c,
        '\u{00AD}'                     // soft hyphen
        | '\u{FE00}'..='\u{FE0F}'     // variation selectors
        | '\u{E000}'..='\u{F8FF}'     // private use
        | '\u{E0100}'..='\u{E01EF}'   // variation selectors supplement
        | '\u{F0000}'..='\u{10FFFF}'  // supplementary private use
    );
    always || (!multiline && single_line_only)
}

/// True when the text holds a character that `is_forbidden` refuses.
pub fn has_forbidden(s: &str, multiline: bool) -> bool {
    s.chars().any(|c| is_forbidden(c, multiline))
}

/// The same text without forbidden characters, for names that arrive outside a form (a file
/// name in an upload, a value read from an older database).
pub fn strip_forbidden(s: &str) -> String {
    s.chars().filter(|c| !is_forbidden(*c, false)).collect()
}

fn text(s: &str, max_chars: usize, multiline: bool) -> Check {
    let n = s.trim().chars().count();
    if n == 0 {
        Err("err.required")
    } else if n > max_chars {
        Err(too_long(max_chars))
    } else if has_forbidden(s, multiline) {
        Err(if multiline {
            "err.invalid_chars"
        } else {
            "err.invalid_chars_line"
        })
    } else {
        Ok(())
    }
}

/// A required single-line field (a name, a title): no line breaks or other control characters.
pub fn required(s: &str, max_chars: usize) -> Check {
    text(s, max_chars, false)
}

/// An optional single-line field.
pub fn optional(s: &str, max_chars: usize) -> Check {
    if s.trim().is_empty() {
        Ok(())
    } else {
        required(s, max_chars)
    }
}

/// A required multi-line field (a text area): line breaks and tabs are kept, other control and
/// invisible characters refused.
pub fn required_text(s: &str, max_chars: usize) -> Check {
    text(s, max_chars, true)
}

/// An optional multi-line field.
pub fn optional_text(s: &str, max_chars: usize) -> Check {
    if s.trim().is_empty() {
        Ok(())
    } else {
        required_text(s, max_chars)
    }
}

/// Normalised form of an email address: trimmed, lower-case (addresses are unique regardless of case).
pub fn normalise_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// A pragmatic check: one @, a non-empty local part, a dotted domain, no spaces, ≤ 254 characters.
pub fn email(s: &str) -> Check {
    let s = s.trim();
    if s.is_empty() {
        return Err("err.required");
    }
    if s.len() > 254 {
        return Err(too_long(254));
    }
    if has_forbidden(s, false) {
        return Err("err.email");
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return Err("err.email");
    };
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c);
    if local.is_empty()
        || local.len() > 64
        || local.contains('@')
        || local.chars().any(bad_char)
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || !domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return Err("err.email");
    }
    Ok(())
}

/// Words anyone attacking this portal tries first.
const SITE_WORDS: [&str; 8] = [
    "konkurs",
    "lider",
    "cyfryzacji",
    "samorządowy",
    "mazowsze",
    "urząd",
    "gmina",
    "hasło",
];

/// The score zxcvbn must give: "safely unguessable" against online attacks, enough to resist
/// an offline attack on the slow Argon2 hash for a long time.
const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// A new password: long enough, not too long, and not easy to guess (a zxcvbn estimate that
/// knows common passwords, keyboard patterns, repeats, sequences, dates, and the person's own
/// name and address passed in `user_inputs`).
pub fn new_password(pw: &str, user_inputs: &[&str]) -> Check {
    let n = pw.chars().count();
    if n == 0 {
        return Err("err.required");
    } else if n < password::MIN_LEN {
        return Err("err.password_short");
    } else if n > password::MAX_LEN {
        return Err(too_long(password::MAX_LEN));
    }
    // zxcvbn's work grows quickly with length; the first 64 characters decide anyway.
    let head: String = pw.chars().take(64).collect();
    let mut inputs: Vec<&str> = SITE_WORDS.to_vec();
    for i in user_inputs {
        inputs.push(i);
        // The parts of an address or a name, each on its own.
        inputs.extend(
            i.split(['@', '.', ' ', '-', '_'])
                .filter(|w| w.chars().count() > 2),
        );
    }
    if zxcvbn::zxcvbn(&head, &inputs).score() < MIN_SCORE {
        return Err("err.password_weak");
    }
    Ok(())
}

/// TERYT code of a gmina (TERC): 7 digits WWPPGGR. WW is an even voivodeship code 02–32, PP and GG
/// are 01–99, R is the type of unit (1–5, 8 or 9). Spaces and hyphens are accepted and dropped.
pub fn teryt(s: &str) -> Result<Option<String>, &'static str> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("err.teryt_format");
    }
    let num = |r: std::ops::Range<usize>| digits[r].parse::<u32>().unwrap_or(0);
    let woj = num(0..2);
    let pow = num(2..4);
    let gm = num(4..6);
    let rodz = num(6..7);
    let valid = (2..=32).contains(&woj)
        && woj % 2 == 0
        && pow >= 1
        && gm >= 1
        && matches!(rodz, 1..=5 | 8 | 9);
    if valid {
        Ok(Some(digits))
    } else {
        Err("err.teryt_invalid")
    }
}

/// Polish postal code NN-NNN.
pub fn postal_code(s: &str) -> Check {
    let s = s.trim();
    if s.is_empty() {
        return Err("err.required");
    }
    let b = s.as_bytes();
    let ok = b.len() == 6
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit());
    if ok { Ok(()) } else { Err("err.postal_code") }
}

/// A phone number as people write it: digits with spaces, hyphens, parentheses and a leading +;
/// 9 to 15 digits in all.
pub fn phone(s: &str) -> Check {
    let s = s.trim();
    if s.is_empty() {
        return Err("err.required");
    }
    let allowed = s.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && i == 0)
    });
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if allowed && (9..=15).contains(&digits) {
        Ok(())
    } else {
        Err("err.phone")
    }
}

/// A link to a live service: absolute http(s) URL with a host, no spaces, ≤ 2000 characters.
pub fn http_url(s: &str) -> Check {
    let s = s.trim();
    if s.len() > 2000 {
        return Err(too_long(2000));
    }
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("err.url")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host_no_port = host.split(':').next().unwrap_or("");
    if host_no_port.is_empty()
        || !host_no_port.contains('.') && host_no_port != "localhost"
        || s.chars().any(|c| c.is_whitespace() || c.is_control())
        || !host_no_port
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return Err("err.url");
    }
    Ok(())
}

/// A path inside this site to return to after logging in; anything else (other hosts,
/// `//evil`, backslashes) falls back to the dashboard.
pub fn local_redirect(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && next.len() < 500;
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(email("a.b@gmina.pl").is_ok());
        assert!(email("  urzad@piaseczno.eu ").is_ok());
        assert_eq!(email(""), Err("err.required"));
        for bad in [
            "a", "a@b", "@x.pl", "a b@x.pl", "a@x..pl", "a@.x.pl", "a@x.pl.", "a@@x.pl", "a@x_y.pl",
        ] {
            assert_eq!(email(bad), Err("err.email"), "{bad}");
        }
        assert_eq!(normalise_email(" Jan@Gmina.PL "), "jan@gmina.pl");
    }

    #[test]
    fn teryt_codes() {
        assert_eq!(teryt("1418042").unwrap(), Some("1418042".into())); // Piaseczno, gmina miejsko-wiejska
        assert_eq!(teryt("14 18 04 3").unwrap(), Some("1418043".into()));
        assert_eq!(teryt("").unwrap(), None);
        assert_eq!(teryt("141804"), Err("err.teryt_format"));
        assert_eq!(teryt("14180421"), Err("err.teryt_format"));
        assert_eq!(teryt("14a8042"), Err("err.teryt_format"));
        assert_eq!(teryt("1518042"), Err("err.teryt_invalid")); // odd voivodeship code
        assert_eq!(teryt("3418042"), Err("err.teryt_invalid")); // beyond 32
        assert_eq!(teryt("1400042"), Err("err.teryt_invalid"));
        assert_eq!(teryt("1418006"), Err("err.teryt_invalid"));
        assert_eq!(teryt("1418047"), Err("err.teryt_invalid"));
    }

    #[test]
    fn postal_and_phone() {
        assert!(postal_code("05-500").is_ok());
        assert_eq!(postal_code("05500"), Err("err.postal_code"));
        assert_eq!(postal_code("0a-500"), Err("err.postal_code"));
        assert!(phone("+48 22 701 75 00").is_ok());
        assert!(phone("(22) 701-75-00").is_ok());
        assert_eq!(phone("12345"), Err("err.phone"));
        assert_eq!(phone("22 701 75 00 ext"), Err("err.phone"));
        assert_eq!(phone("48+22 701 75 00"), Err("err.phone"));
    }

    #[test]
    fn passwords_and_text() {
        assert_eq!(new_password("short", &[]), Err("err.password_short"));
        assert_eq!(
            new_password(&"x".repeat(300), &[]),
            Err(too_long(password::MAX_LEN))
        );
        // What the security review saw accepted.
        for weak in [
            "aaaaaaaaaaaa",
            "123456789012",
            "password1234",
            "            ",
            "qwertyuiop12",
            "konkurs12345",
        ] {
            assert_eq!(new_password(weak, &[]), Err("err.password_weak"), "{weak}");
        }
        // The person's own name or address is no secret.
        assert_eq!(
            new_password(
                "kowalski12345",
                &["jan.kowalski@piaseczno.eu", "Jan Kowalski"]
            ),
            Err("err.password_weak")
        );
        for strong in [
            "długie hasło testowe 1",
            "nowe bardzo długie hasło",
            "Wiśniowy sad pod Grójcem 7",
            "correct horse battery staple",
        ] {
            assert!(new_password(strong, &["jan@gmina.pl"]).is_ok(), "{strong}");
        }
        assert_eq!(required("  ", 10), Err("err.required"));
        assert_eq!(required("abcdefghijk", 10), Err("err.too_long_n:10"));
        assert_eq!(
            crate::i18n::Lang::Pl.message(too_long(10)),
            "Tekst może mieć najwyżej 10 znaków."
        );
        assert_eq!(
            crate::i18n::Lang::Pl.message(too_long(2)),
            "Tekst może mieć najwyżej 2 znaki."
        );
        assert_eq!(
            crate::i18n::Lang::En.message(too_long(1)),
            "The text can have at most 1 character."
        );
        assert_eq!(required("ok\u{0}", 10), Err("err.invalid_chars_line"));
        assert_eq!(
            required("Anon\r\nBcc: evil@example.org", 120),
            Err("err.invalid_chars_line")
        );
        assert_eq!(required("a\tb", 10), Err("err.invalid_chars_line"));
        assert_eq!(
            required("faktura\u{202e}fdp.exe", 40),
            Err("err.invalid_chars_line")
        );
        assert_eq!(
            required("zero\u{200b}width", 40),
            Err("err.invalid_chars_line")
        );
        assert_eq!(
            required("bad \u{fffd} utf-8", 40),
            Err("err.invalid_chars_line")
        );
        assert!(required_text("line one\r\nline two\ttab", 40).is_ok());
        assert_eq!(required_text("ok\u{1b}[31m", 40), Err("err.invalid_chars"));
        assert_eq!(required_text("x\u{2067}y", 40), Err("err.invalid_chars"));
        assert!(optional_text("", 3).is_ok());
        assert_eq!(
            strip_forbidden("faktura\u{202e}fdp.exe\r\n"),
            "fakturafdp.exe"
        );
        // Polish letters, typographic quotes and dashes are ordinary text.
        assert!(required("„Urząd” – ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ", 40).is_ok());
        assert!(required("Zażółć gęślą", 12).is_ok());
        assert!(optional("", 3).is_ok());
    }

    #[test]
    fn urls_and_redirects() {
        assert!(http_url("https://mapa.piaseczno.eu/portal?x=1").is_ok());
        assert!(http_url("http://localhost:8080/").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://x.pl",
            "https://",
            "https://exa mple.pl",
            "mapa.pl",
            "https://x",
        ] {
            assert_eq!(http_url(bad), Err("err.url"), "{bad}");
        }
        assert_eq!(local_redirect("/account"), Some("/account"));
        assert_eq!(local_redirect("//evil.example"), None);
        assert_eq!(local_redirect("https://evil.example"), None);
        assert_eq!(local_redirect("/\\evil"), None);
    }
}
