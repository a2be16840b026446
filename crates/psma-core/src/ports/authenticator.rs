use crate::tenancy::Principal;
use async_trait::async_trait;

/// What a caller presented to prove who they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The bearer token of an `Authorization: Bearer …` header, if any.
    pub bearer: Option<String>,
}

/// Turns credentials into a verified [`Principal`]. Local mode accepts everyone as the local
/// owner; hosted mode verifies tokens.
#[async_trait]
pub trait Authenticator: Send + Sync {
    /// Verifies `credentials`.
    ///
    /// # Errors
    /// [`crate::Error::Unauthenticated`] when they are missing, expired or invalid.
    async fn authenticate(&self, credentials: &Credentials) -> crate::Result<Principal>;

    /// The mode's name, as shown by `/api/v1/me` (`local`, `jwt`).
    fn mode(&self) -> &'static str;
}
