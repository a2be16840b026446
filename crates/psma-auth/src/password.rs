//! Password hashing: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), as PHC
//! strings; and the list of common passwords a new one must not be.
//!
//! Each hash takes tens of milliseconds of one CPU on purpose. It runs on tokio's blocking
//! pool behind a semaphore, so a storm of sign-ins queues for the permits instead of starving
//! the async workers that serve every other request.

use argon2::password_hash::{Error as PhcError, PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;
use psma_core::Error;
use psma_core::accounts::sessions::{Password, PasswordHash, PasswordHasher, PasswordPolicy};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// OWASP's argon2id minimum: m = 19456 KiB, t = 2, p = 1.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// Argon2id password hashing with a bounded number of hashes at once.
#[derive(Debug)]
pub struct Argon2Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A hash of a random password, checked against when an account has no hash, so that an
    /// unknown email costs what a wrong password costs.
    dummy: Arc<str>,
}

impl Argon2Hasher {
    /// A hasher running at most `concurrency` (at least 1) hashes at once. Computes one hash
    /// (the dummy) before returning: call it at start-up, not on an async worker per request.
    ///
    /// # Errors
    /// [`Error::Internal`] when the operating system cannot provide randomness.
    pub fn new(concurrency: usize) -> psma_core::Result<Self> {
        let params = Params::new(M_COST_KIB, T_COST, P_COST, None).map_err(Error::internal)?;
        let mut secret = [0_u8; 32];
        getrandom::fill(&mut secret).map_err(|e| {
            Error::internal(format!("no randomness from the operating system: {e}"))
        })?;
        let dummy = argon2id(&params)
            .hash_password(&secret)
            .map_err(Error::internal)?
            .to_string();
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: dummy.into(),
        })
    }

    /// Runs `job` on the blocking pool once a permit is free.
    async fn run<T, F>(&self, job: F) -> psma_core::Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(Error::internal)?;
        // The permit moves into the job: if the caller gives up, the hash still runs to its
        // end and keeps its permit until then, so the bound counts the CPUs actually busy.
        tokio::task::spawn_blocking(move || {
            let out = job();
            drop(permit);
            out
        })
        .await
        .map_err(Error::internal)
    }
}

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> psma_core::Result<PasswordHash> {
        let params = self.params.clone();
        let password = password.clone();
        let phc = self
            .run(move || {
                argon2id(&params)
                    .hash_password(password.expose().as_bytes())
                    .map(|h| h.to_string())
            })
            .await?
            .map_err(Error::internal)?;
        Ok(PasswordHash(phc))
    }

    /// Checks against the parameters recorded in `hash`, so hashes made with older parameters
    /// keep verifying.
    async fn verify(
        &self,
        password: &Password,
        hash: Option<&PasswordHash>,
    ) -> psma_core::Result<bool> {
        let known = hash.is_some();
        let stored: Arc<str> = hash.map_or_else(|| self.dummy.clone(), |h| h.0.as_str().into());
        let params = self.params.clone();
        let password = password.clone();
        let outcome = self
            .run(move || argon2id(&params).verify_password(password.expose().as_bytes(), &*stored))
            .await?;
        match outcome {
            Ok(()) => Ok(known),
            Err(PhcError::PasswordInvalid) => Ok(false),
            // Never the password: the stored string is unreadable or names another algorithm.
            Err(e) => Err(Error::internal(format!(
                "the stored password hash cannot be checked: {e}"
            ))),
        }
    }
}

/// The passwords attackers try first: the about 100,000 most common ones of leaked password
/// lists, bundled in the `passwords` crate (no network at run time). A password is common when
/// it is on the list as typed or in lower case.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommonPasswords;

impl PasswordPolicy for CommonPasswords {
    fn is_common(&self, password: &Password) -> bool {
        let typed = password.expose();
        passwords::analyzer::is_common_password(typed)
            || passwords::analyzer::is_common_password(typed.to_lowercase())
    }
}

fn argon2id(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn pw(s: &str) -> Password {
        Password::presented(s.to_owned(), "password").unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let hasher = Argon2Hasher::new(2).unwrap();
        let hash = hasher.hash(&pw("correct horse battery")).await.unwrap();
        assert!(
            hash.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.0
        );
        assert!(
            hasher
                .verify(&pw("correct horse battery"), Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify(&pw("correct horse batterY"), Some(&hash))
                .await
                .unwrap()
        );
    }

    #[test]
    fn the_most_common_passwords_are_known_in_any_case_and_passphrases_are_not() {
        for common in [
            "password123",
            "12345678",
            "iloveyou1",
            "PASSWORD123",
            "Qwertyuiop",
        ] {
            assert!(CommonPasswords.is_common(&pw(common)), "{common}");
        }
        for fine in ["correct horse battery staple", "a brand new passphrase"] {
            assert!(!CommonPasswords.is_common(&pw(fine)), "{fine}");
        }
    }

    #[tokio::test]
    async fn two_hashes_of_one_password_differ_by_their_salt() {
        let hasher = Argon2Hasher::new(2).unwrap();
        let a = hasher.hash(&pw("same password")).await.unwrap();
        let b = hasher.hash(&pw("same password")).await.unwrap();
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn an_account_without_a_hash_never_verifies() {
        let hasher = Argon2Hasher::new(1).unwrap();
        assert!(!hasher.verify(&pw("anything at all"), None).await.unwrap());
        assert!(!hasher.verify(&pw(""), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_hash_with_other_parameters_still_verifies() {
        let hasher = Argon2Hasher::new(1).unwrap();
        let old = Params::new(8 * 1024, 1, 1, None).unwrap();
        let phc = argon2id(&old)
            .hash_password(b"older password")
            .unwrap()
            .to_string();
        assert!(phc.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
        let hash = PasswordHash(phc);
        assert!(
            hasher
                .verify(&pw("older password"), Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify(&pw("newer password"), Some(&hash))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn an_unreadable_stored_hash_is_an_internal_error_not_a_mismatch() {
        let hasher = Argon2Hasher::new(1).unwrap();
        let garbage = PasswordHash("not a phc string".to_owned());
        let err = hasher
            .verify(&pw("whatever pw"), Some(&garbage))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Internal(_)), "{err:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_jobs_run_at_once_than_there_are_permits() {
        let hasher = Arc::new(Argon2Hasher::new(1).unwrap());
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let (hasher, running, peak) = (hasher.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                hasher
                    .run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        // A real hash: long enough that unbounded jobs would overlap.
                        let _ = argon2id(&Params::DEFAULT).hash_password(b"load");
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                    .unwrap();
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 1);
        assert_eq!(
            hasher.permits.available_permits(),
            1,
            "every permit returned"
        );
    }
}
