//! Random secrets for emailed links and sessions. Only their SHA-256 is stored, so a copy of the
//! database does not let anyone use a link.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 256 random bits as 64 lowercase hex characters: URL-safe and unambiguous.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// Hides the secrets of links (`token=` followed by 64 hex digits) in a text: what an outbox
/// keeps after sending, and what organisers see of a message.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("token=") {
        let after = &rest[at + 6..];
        out.push_str(&rest[..at + 6]);
        if after.len() >= 64 && looks_valid(&after[..64]) {
            out.push('…');
            rest = &after[64..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A token as it may arrive in a URL: exactly 64 hex characters, anything else is not worth a query.
pub fn looks_valid(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hash_is_stable() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert!(looks_valid(&a));
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), a);
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(!looks_valid("zz"));
        let link = format!("Kliknij: https://x.pl/verify?token={a} oraz <a href=\"/r?token={b}\">");
        let hidden = redact(&link);
        assert!(!hidden.contains(&a) && !hidden.contains(&b), "{hidden}");
        assert!(hidden.contains("verify?token=…") && hidden.contains("/r?token=…\""));
        assert_eq!(redact("token=short"), "token=short");
        assert!(!looks_valid(&"g".repeat(64)));
    }
}
