//! Hosted mode's signing keys: Ed25519 private keys (PKCS#8 PEM) from a directory and an
//! environment variable, each named by its JWK thumbprint, and the JWKS that publishes their
//! public halves.
//!
//! The last key loaded signs; every key loaded verifies. Adding a newer key file therefore
//! rotates signing without logging anyone out, and removing an old file (once its tokens have
//! expired) retires it.

use crate::settings::AuthSettings;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _};
use jsonwebtoken::{DecodingKey, EncodingKey};
use psma_core::Error;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One key: its id, its public half for the JWKS, and both halves ready for jsonwebtoken.
struct Key {
    kid: String,
    /// The public key, base64url without padding (the JWK `x` member).
    x: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// The keys this server signs and verifies tokens with. Never empty.
pub struct KeySet {
    /// Distinct keys, in the order they were first loaded.
    keys: Vec<Key>,
    /// The index of the signing key: the last one loaded.
    current: usize,
}

impl fmt::Debug for KeySet {
    // Names the keys only: the private halves must never reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySet")
            .field("kids", &self.kids().collect::<Vec<_>>())
            .field("current", &self.current_kid())
            .finish()
    }
}

impl KeySet {
    /// The keys `settings` name: `auth.keys_dir`'s `*.pem` files in file name order, then the
    /// PEM blocks of the variable `auth.keys_env` names, read from the process environment.
    ///
    /// # Errors
    /// As [`Self::load_with`].
    pub fn load(settings: &AuthSettings) -> psma_core::Result<Self> {
        Self::load_with(settings, |name| std::env::var(name).ok())
    }

    /// As [`Self::load`], reading environment variables through `env` (tests cannot set
    /// variables without `unsafe`).
    ///
    /// # Errors
    /// [`Error::Internal`] when the directory or a file cannot be read, the variable is named
    /// but unset, a PEM block is not an Ed25519 PKCS#8 private key, or no key is found at all.
    /// Messages name the file or the variable, never key material.
    pub fn load_with(
        settings: &AuthSettings,
        env: impl Fn(&str) -> Option<String>,
    ) -> psma_core::Result<Self> {
        let mut sources: Vec<(String, String)> = Vec::new();
        if let Some(dir) = &settings.keys_dir {
            for path in pem_files(dir)? {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    Error::internal(format!("cannot read key file `{}`: {e}", path.display()))
                })?;
                sources.push((format!("key file `{}`", path.display()), text));
            }
        }
        if let Some(name) = &settings.keys_env {
            let text = env(name).ok_or_else(|| {
                Error::internal(format!(
                    "auth.keys_env names `{name}`, but that environment variable is not set"
                ))
            })?;
            // Some platforms only pass one-line values: accept `\n` escapes (never part of PEM).
            let text = text.replace("\\n", "\n");
            sources.push((format!("environment variable `{name}`"), text));
        }
        let mut builder = Builder::default();
        for (origin, text) in &sources {
            builder.add_text(origin, text)?;
        }
        builder.finish().ok_or_else(|| {
            Error::internal(
                "no signing key found: put an Ed25519 key in auth.keys_dir (`psma keys generate`) \
                 or in the variable auth.keys_env names",
            )
        })
    }

    /// The keys in `pems` (each one or more PEM blocks), in order; the last one signs.
    ///
    /// # Errors
    /// [`Error::Internal`] when a block is not an Ed25519 PKCS#8 private key or there is no
    /// key.
    pub fn from_pems<I, S>(pems: I) -> psma_core::Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut builder = Builder::default();
        for (i, pem) in pems.into_iter().enumerate() {
            builder.add_text(&format!("PEM #{}", i + 1), pem.as_ref())?;
        }
        builder
            .finish()
            .ok_or_else(|| Error::internal("no signing key given"))
    }

    /// The id (`kid`) of the key new tokens are signed with.
    #[must_use]
    pub fn current_kid(&self) -> &str {
        &self.current().kid
    }

    /// The ids of every key that verifies tokens, in load order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.kid.as_str())
    }

    /// The JSON Web Key Set of the public keys (RFC 7517), for `/.well-known/jwks.json`: no
    /// private member (`d`) ever appears.
    #[must_use]
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|k| {
                json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": k.x,
                    "kid": k.kid,
                    "alg": "EdDSA",
                    "use": "sig",
                })
            })
            .collect();
        json!({ "keys": keys })
    }

    /// The signing key and its id.
    pub(crate) fn signing(&self) -> (&str, &EncodingKey) {
        let key = self.current();
        (&key.kid, &key.encoding)
    }

    /// The verifying key whose id is `kid`, if it is in the set.
    pub(crate) fn decoding(&self, kid: &str) -> Option<&DecodingKey> {
        // A handful of keys at most: a scan beats hashing the kid.
        self.keys.iter().find(|k| k.kid == kid).map(|k| &k.decoding)
    }

    fn current(&self) -> &Key {
        // `current` indexes `keys` by construction (see `Builder::finish`).
        &self.keys[self.current]
    }
}

/// Collects keys in load order, once each.
#[derive(Default)]
struct Builder {
    keys: Vec<Key>,
    last: Option<usize>,
}

impl Builder {
    /// Adds every PEM block of `text`; `origin` names where it came from in errors.
    fn add_text(&mut self, origin: &str, text: &str) -> psma_core::Result<()> {
        let blocks = pem_blocks(text).map_err(|why| Error::internal(format!("{origin}: {why}")))?;
        for (i, block) in blocks.iter().enumerate() {
            let signing = SigningKey::from_pkcs8_pem(block).map_err(|e| {
                Error::internal(format!(
                    "{origin}: PEM block {} is not an Ed25519 PKCS#8 private key ({e})",
                    i + 1
                ))
            })?;
            self.add(&signing, origin)?;
        }
        Ok(())
    }

    fn add(&mut self, signing: &SigningKey, origin: &str) -> psma_core::Result<()> {
        let public = signing.verifying_key().to_bytes();
        let x = URL_SAFE_NO_PAD.encode(public);
        let kid = thumbprint(&x);
        // The same key twice (a file also given in the variable) is one key; the later
        // mention still decides which key signs.
        if let Some(at) = self.keys.iter().position(|k| k.kid == kid) {
            self.last = Some(at);
            return Ok(());
        }
        let der = signing
            .to_pkcs8_der()
            .map_err(|e| Error::internal(format!("{origin}: cannot re-encode the key ({e})")))?;
        self.keys.push(Key {
            kid,
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            // jsonwebtoken's EdDSA verifier takes the raw 32-byte public key.
            decoding: DecodingKey::from_ed_der(&public),
            x,
        });
        self.last = Some(self.keys.len() - 1);
        Ok(())
    }

    /// The set, unless no key was added.
    fn finish(self) -> Option<KeySet> {
        let current = self.last.filter(|&i| i < self.keys.len())?;
        Some(KeySet {
            keys: self.keys,
            current,
        })
    }
}

/// The RFC 7638 thumbprint of the Ed25519 public key `x`: SHA-256 over the required members in
/// lexicographic order, without whitespace, base64url without padding (RFC 8037 §A.3).
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// The `*.pem` files of `dir` (following symbolic links, as secret mounts use them), sorted by
/// file name.
fn pem_files(dir: &Path) -> psma_core::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::internal(format!(
            "cannot read auth.keys_dir `{}`: {e} (create a key with `psma keys generate`)",
            dir.display()
        ))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Error::internal(format!("cannot list `{}`: {e}", dir.display())))?
            .path();
        if path.extension().is_some_and(|ext| ext == "pem") && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// The PEM blocks of `text`, each rebuilt with its lines trimmed (values pasted into YAML or
/// a variable often gain indentation). A `BEGIN` without its `END` is an error rather than a
/// key silently skipped.
fn pem_blocks(text: &str) -> Result<Vec<String>, String> {
    const BEGIN: &str = "-----BEGIN ";
    const END: &str = "-----END ";
    const DASHES: &str = "-----";
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let block = &rest[start..];
        let close = block.find(END).and_then(|end| {
            let after = end + END.len();
            block[after..]
                .find(DASHES)
                .map(|dashes| after + dashes + DASHES.len())
        });
        let Some(len) = close else {
            return Err(format!("PEM block {} has no END line", blocks.len() + 1));
        };
        let tidy: Vec<&str> = block[..len]
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        blocks.push(tidy.join("\n") + "\n");
        rest = &block[len..];
    }
    if blocks.is_empty() {
        return Err("holds no PEM block".to_owned());
    }
    Ok(blocks)
}

/// A new Ed25519 private key from the operating system's randomness, as PKCS#8 PEM.
///
/// # Errors
/// [`Error::Internal`] when the operating system cannot provide randomness.
pub fn generate_pem() -> psma_core::Result<String> {
    let mut seed = [0_u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| Error::internal(format!("no randomness from the operating system: {e}")))?;
    let signing = SigningKey::from_bytes(&seed);
    seed.fill(0);
    let pem = signing
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| Error::internal(format!("cannot encode the new key: {e}")))?;
    Ok(pem.as_str().to_owned())
}

/// Writes a new key to `dir` (created if missing) as `<UTC time>.pem`
/// (`20260301T120000Z.pem`), readable by its owner only on unix: being the newest name, it
/// signs from the next start while older keys keep verifying. Returns the file and its `kid`.
///
/// # Errors
/// [`Error::Internal`] when the directory cannot be created, a key of the same second exists
/// (try again), or the file cannot be written.
pub fn generate_key_file(dir: &Path) -> psma_core::Result<(PathBuf, String)> {
    write_key_file(dir, Utc::now())
}

fn write_key_file(dir: &Path, now: DateTime<Utc>) -> psma_core::Result<(PathBuf, String)> {
    create_private_dir(dir)
        .map_err(|e| Error::internal(format!("cannot create `{}`: {e}", dir.display())))?;
    let pem = generate_pem()?;
    let path = dir.join(now.format("%Y%m%dT%H%M%SZ.pem").to_string());
    let mut options = std::fs::OpenOptions::new();
    // `create_new`: never overwrite a key that may still be verifying tokens.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(|e| Error::internal(format!("cannot create `{}`: {e}", path.display())))?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::internal(format!("cannot write `{}`: {e}", path.display())))?;
    let keys = KeySet::from_pems([&pem])?;
    Ok((path, keys.current_kid().to_owned()))
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests;
