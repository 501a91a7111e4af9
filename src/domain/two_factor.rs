//! Two-factor sign-in rules: TOTP codes (RFC 6238: SHA-1, 6 digits, 30-second steps, one step
//! of drift either way), recovery codes, and the QR code of the set-up page. No I/O besides the
//! random numbers; the single use of a step or a recovery code is enforced by the database.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use chrono::NaiveDateTime;
use qrcode::QrCode;
use qrcode::render::svg;
use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};

/// Length of a TOTP step in seconds.
pub const STEP_SECONDS: i64 = 30;
/// How many recovery codes a set-up gives.
pub const RECOVERY_CODES: usize = 10;
/// How long a remembered browser skips the second step.
pub const REMEMBER_DAYS: i64 = 30;
/// At or below this many unused recovery codes the account page and the sign-in warn.
pub const RECOVERY_LOW: i64 = 3;

/// Whether so few recovery codes are left that new ones should be made.
pub fn recovery_low(left: i64) -> bool {
    left <= RECOVERY_LOW
}
/// How long the code step waits after the password was accepted.
pub const PENDING_MINUTES: i64 = 10;
/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Konkurs SLC";

/// A new random secret of 160 bits, base32 as authenticator apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => unreachable!("to_encoded gives an encoded secret"),
    }
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS.unsigned_abs(), bytes).ok()
}

/// The TOTP step a moment falls in.
pub fn step_at(now: NaiveDateTime) -> i64 {
    now.and_utc().timestamp().div_euclid(STEP_SECONDS)
}

/// The code of `secret` for `step` (for tests and the set-up check).
pub fn code_for(secret: &str, step: i64) -> Option<String> {
    let t = totp(secret)?;
    Some(t.generate(u64::try_from(step * STEP_SECONDS).ok()?))
}

/// What was typed, with spaces and hyphens removed.
fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// A code as typed into the second step: six digits are an app's code, ten letters and digits
/// a recovery code; anything else is neither.
#[derive(Debug, PartialEq, Eq)]
pub enum TypedCode {
    Totp(String),
    Recovery(String),
    Malformed,
}

pub fn parse_code(input: &str) -> TypedCode {
    let c = compact(input).to_ascii_lowercase();
    if c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()) {
        TypedCode::Totp(c)
    } else if c.len() == 10 && c.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        TypedCode::Recovery(c)
    } else {
        TypedCode::Malformed
    }
}

/// The step whose code `code` is, among the current one and one either side: the latest that
/// matches. The caller accepts it only if that step is later than the last one used.
pub fn matching_step(secret: &str, code: &str, now: NaiveDateTime) -> Option<i64> {
    let current = step_at(now);
    [current + 1, current, current - 1].into_iter().find(|s| {
        code_for(secret, *s).is_some_and(|c| bool::from(c.as_bytes().ct_eq(code.as_bytes())))
    })
}

/// Letters and digits that cannot be confused with one another (no 0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// Ten new recovery codes, shown as `xxxxx-xxxxx` (about 50 bits each).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let s: String = (0..10)
                .map(|_| {
                    char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
                })
                .collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

/// The stored form of a recovery code, as shown or as typed (`parse_code`'s compact form).
pub fn recovery_hash(code: &str) -> String {
    super::token::hash(&compact(code).to_ascii_lowercase())
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let enc = crate::urls::encode;
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period={STEP_SECONDS}",
        issuer = enc(ISSUER),
        account = enc(account),
    )
}

/// The QR code of `uri` as an inline SVG element (no XML declaration), an image named `label`
/// for screen readers (the page gives the key in text beside it).
pub fn qr_svg(uri: &str, label: &str) -> String {
    let Ok(code) = QrCode::new(uri.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let svg = match svg.find("<svg") {
        Some(at) => &svg[at..],
        None => &svg,
    };
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" focusable=\"false\" class=\"qr\" "),
        1,
    )
    .replace(" version=\"1.1\"", "")
}

/// The key that seals stored secrets, derived from the server's secret key (so a copy of the
/// database alone does not give the secrets; a new server key makes them unreadable, and the
/// accounts then sign in with a recovery code or are reset by an organiser).
fn sealing_key(master: &[u8]) -> Aes256Gcm {
    let mut h = Sha256::new();
    h.update(b"konkurs two-factor secret v1\0");
    h.update(master);
    let key: [u8; 32] = h.finalize().into();
    Aes256Gcm::new(&key.into())
}

/// The secret as stored: `v1:` and the hex of a random nonce and the AES-256-GCM ciphertext,
/// bound to the account (a sealed secret moved to another account's row does not open).
pub fn seal(secret: &str, user_id: i32, master: &[u8]) -> String {
    let mut nonce = [0u8; 12];
    rand::rng().fill(&mut nonce);
    let aad = user_id.to_be_bytes();
    let sealed = sealing_key(master)
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: secret.as_bytes(),
                aad: &aad,
            },
        )
        .unwrap_or_default();
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    format!("v1:{}", super::token::hex(&bytes))
}

/// The secret a stored value holds, or `None` when it does not open with this key and account.
pub fn unseal(stored: &str, user_id: i32, master: &[u8]) -> Option<String> {
    let hex = stored.strip_prefix("v1:")?;
    if hex.len() % 2 != 0 || hex.len() < 2 * 12 {
        return None;
    }
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    let (nonce, sealed) = bytes.split_at(12);
    let aad = user_id.to_be_bytes();
    let plain = sealing_key(master)
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: &aad,
            },
        )
        .ok()?;
    String::from_utf8(plain).ok()
}

/// The secret in groups of four for typing by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_or_fewer_recovery_codes_are_low() {
        assert!(!recovery_low(4));
        assert!(recovery_low(3));
        assert!(recovery_low(0));
    }

    fn at(ts: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(ts, 0).unwrap().naive_utc()
    }

    #[test]
    fn rfc_6238_sha1_vector() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits);
        // the last six digits are the 6-digit code.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        assert_eq!(
            code_for(&secret, step_at(at(59))).as_deref(),
            Some("287082")
        );
        assert_eq!(
            code_for(&secret, step_at(at(1_111_111_109))).as_deref(),
            Some("081804")
        );
    }

    #[test]
    fn a_code_matches_its_step_and_one_either_side_only() {
        let secret = new_secret();
        let now = at(1_800_000_000);
        let s = step_at(now);
        for d in [-1, 0, 1] {
            let code = code_for(&secret, s + d).unwrap();
            assert_eq!(matching_step(&secret, &code, now), Some(s + d));
        }
        let old = code_for(&secret, s - 2).unwrap();
        // A code two steps old is refused (unless it happens to equal a nearer one).
        if [-1, 0, 1]
            .iter()
            .all(|d| code_for(&secret, s + d).unwrap() != old)
        {
            assert_eq!(matching_step(&secret, &old, now), None);
        }
        assert_eq!(matching_step("not base32!", "123456", now), None);
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_account() {
        let secret = new_secret();
        let key = [7u8; 64];
        let stored = seal(&secret, 42, &key);
        assert!(stored.starts_with("v1:"));
        assert!(!stored.contains(&secret));
        assert_ne!(stored, seal(&secret, 42, &key), "a new nonce each time");
        assert_eq!(unseal(&stored, 42, &key).as_deref(), Some(secret.as_str()));
        assert_eq!(unseal(&stored, 43, &key), None);
        assert_eq!(unseal(&stored, 42, &[8u8; 64]), None);
        assert_eq!(unseal("v1:zz", 42, &key), None);
        assert_eq!(unseal(&secret, 42, &key), None);
    }

    #[test]
    fn typed_codes_are_told_apart() {
        assert_eq!(parse_code(" 123 456 "), TypedCode::Totp("123456".into()));
        assert_eq!(
            parse_code("ABCDE-fghjk"),
            TypedCode::Recovery("abcdefghjk".into())
        );
        assert_eq!(parse_code("12345"), TypedCode::Malformed);
        assert_eq!(parse_code("abcde-fghi1"), TypedCode::Malformed);
        assert_eq!(parse_code(""), TypedCode::Malformed);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hash_as_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let set: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(set.len(), RECOVERY_CODES);
        for c in &codes {
            assert!(matches!(parse_code(c), TypedCode::Recovery(_)), "{c}");
            assert_eq!(
                recovery_hash(c),
                recovery_hash(&c.to_uppercase().replace('-', " "))
            );
        }
    }

    #[test]
    fn the_qr_code_is_an_inline_svg_for_the_otpauth_address() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let uri = otpauth_uri(&secret, "olga@mazovia.example");
        assert!(uri.starts_with("otpauth://totp/Konkurs%20SLC:olga%40mazovia.example?secret="));
        let svg = qr_svg(&uri, "Kod QR \"x\"");
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"Kod QR &quot;x&quot;\""),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
