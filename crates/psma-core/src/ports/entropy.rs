//! Secret randomness: where the core gets the bytes of a secret it hands out (a calendar feed
//! token). A port so tests can make secrets that are known in advance.

/// A source of secret random bytes.
pub trait Entropy: Send + Sync {
    /// Fills `buf` with unpredictable bytes.
    ///
    /// # Errors
    /// [`crate::Error::Internal`] when no randomness is to be had (the operating system's
    /// generator failed); a secret is then not made rather than made guessable.
    fn fill(&self, buf: &mut [u8]) -> crate::Result<()>;
}

/// The operating system's cryptographically secure generator (`getrandom`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OsEntropy;

impl Entropy for OsEntropy {
    fn fill(&self, buf: &mut [u8]) -> crate::Result<()> {
        getrandom::fill(buf).map_err(|e| crate::Error::internal(format!("no randomness: {e}")))
    }
}
