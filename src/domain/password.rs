//! Password hashing with Argon2id (the crate's defaults: m=19 MiB, t=2, p=1).

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use std::sync::OnceLock;

pub const MIN_LEN: usize = 12;
/// Long enough for any passphrase; bounds the hashing work an attacker can ask for.
pub const MAX_LEN: usize = 256;

pub fn hash(password: &str) -> String {
    let hashed: Result<PasswordHash, _> = Argon2::default().hash_password(password.as_bytes());
    match hashed {
        Ok(h) => h.to_string(),
        Err(e) => {
            // Only an OS random-number failure gets here; store a value that never verifies.
            tracing::error!("argon2 hashing failed: {e}");
            String::from("!")
        }
    }
}

/// Checks a password against a stored hash. For an unknown account pass `None`: a dummy hash is
/// verified instead, so the answer takes the same time whether or not the account exists.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("dummy password for timing"));
    let (candidate, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let ok = match PasswordHash::new(candidate) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    };
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let h = hash("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&h)));
        assert!(!verify("wrong horse battery", Some(&h)));
        assert_ne!(h, hash("correct horse battery"));
        assert!(!verify("dummy password for timing", None));
        assert!(!verify("x", Some("not a hash")));
    }
}
