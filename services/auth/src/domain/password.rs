//! Argon2id password hashing, off the async runtime.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::error::PasswordError;

/// Hashes a password (PHC string: parameters travel with the hash).
pub async fn hash(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| PasswordError(e.to_string()))
    })
    .await
    .map_err(|e| PasswordError(e.to_string()))?
}

/// Verifies; with no stored hash, burns the same time against a dummy so that unknown
/// accounts cannot be told apart by timing.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let dummy = dummy_hash();
        let (phc, real) = match &stored {
            Some(s) => (s.as_str(), true),
            None => (dummy.as_str(), false),
        };
        let parsed = PasswordHash::new(phc).map_err(|e| PasswordError(e.to_string()))?;
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(ok && real)
    })
    .await
    .map_err(|e| PasswordError(e.to_string()))?
}

fn dummy_hash() -> &'static String {
    static D: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(b"not-a-real-password", &salt)
            .expect("hash")
            .to_string()
    })
}

/// Password policy for staff.
pub fn check_policy(v: &mut sbm_common::Validator, field: &str, password: &str) {
    let n = password.chars().count();
    if n < 10 {
        v.add(field, "must be at least 10 characters");
    } else if n > 256 {
        v.add(field, "must be at most 256 characters");
    }
}
