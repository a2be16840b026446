//! Hosted mode's per-request cost: verifying the bearer access token (issue 9 bar: under
//! 0.1 ms per request), through the `Authenticator` port as the API calls it — with one key,
//! and with three keys after two rotations, the token signed by the oldest. Signing an access
//! token (once per sign-in or refresh) is measured for context. `cargo xtask bench auth` runs
//! it and checks the bar.

use chrono::{Duration as Span, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::FutureExt;
use psma_auth::{JwtTokens, KeySet, generate_pem};
use psma_core::accounts::sessions::{TokenClaims, TokenIssuer, TokenKind};
use psma_core::ports::{Authenticator, Credentials};
use psma_core::tenancy::{Role, TenantId, UserId};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const ISSUER: &str = "https://psma.example.org";
const AUDIENCE: &str = "psma";
const LEEWAY_SECS: u64 = 5;

fn tokens(pems: &[String]) -> psma_core::Result<JwtTokens> {
    let keys = Arc::new(KeySet::from_pems(pems)?);
    Ok(JwtTokens::new(keys, ISSUER, AUDIENCE, LEEWAY_SECS))
}

/// An access token's claims, valid for the default 15 minutes (longer than the run).
fn claims() -> TokenClaims {
    let now = Utc::now();
    TokenClaims {
        user_id: UserId::generate(),
        tenant_id: TenantId::generate(),
        roles: vec![Role::MEMBER],
        id: uuid::Uuid::now_v7(),
        family: None,
        issued_at: now,
        expires_at: now + Span::minutes(15),
    }
}

/// One verification as a request pays it: `authenticate` does no I/O, so its future is ready
/// at the first poll (no runtime involved).
fn verify(auth: &dyn Authenticator, credentials: &Credentials) -> bool {
    matches!(auth.authenticate(credentials).now_or_never(), Some(Ok(_)))
}

fn auth(c: &mut Criterion) -> psma_core::Result<()> {
    let (oldest, middle, newest) = (generate_pem()?, generate_pem()?, generate_pem()?);
    let one = tokens(std::slice::from_ref(&newest))?;
    let claims = claims();
    let credentials = Credentials {
        bearer: Some(one.issue(TokenKind::Access, &claims)?),
    };
    // After two rotations: the newest key signs, a token of the oldest is still accepted.
    let rotated = tokens(&[oldest.clone(), middle, newest])?;
    let old_credentials = Credentials {
        bearer: Some(tokens(&[oldest])?.issue(TokenKind::Access, &claims)?),
    };
    assert!(verify(&one, &credentials), "the token must verify");
    assert!(
        verify(&rotated, &old_credentials),
        "the oldest key's token must verify after rotation"
    );

    let mut group = c.benchmark_group("auth");
    group.measurement_time(Duration::from_secs(5));
    group.sample_size(100);
    group.bench_function("verify access token 1 key", |b| {
        b.iter(|| verify(black_box(&one), black_box(&credentials)));
    });
    group.bench_function("verify access token 3 keys oldest", |b| {
        b.iter(|| verify(black_box(&rotated), black_box(&old_credentials)));
    });
    group.bench_function("sign access token", |b| {
        b.iter(|| one.issue(TokenKind::Access, black_box(&claims)));
    });
    group.finish();
    Ok(())
}

fn token_verification(c: &mut Criterion) {
    if let Err(e) = auth(c) {
        panic!("setting up the benchmark: {e}");
    }
}

criterion_group!(benches, token_verification);
criterion_main!(benches);
