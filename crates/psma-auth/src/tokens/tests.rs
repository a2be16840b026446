use super::*;
use crate::keys::generate_pem;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use jsonwebtoken::EncodingKey;
use serde_json::{Value, json};

const ISSUER: &str = "https://psma.test";
const AUDIENCE: &str = "psma";

fn key_set(pems: &[&String]) -> Arc<KeySet> {
    Arc::new(KeySet::from_pems(pems).unwrap())
}

fn tokens(keys: Arc<KeySet>) -> JwtTokens {
    JwtTokens::new(keys, ISSUER, AUDIENCE, 5)
}

fn fresh() -> (String, JwtTokens) {
    let pem = generate_pem().unwrap();
    let t = tokens(key_set(&[&pem]));
    (pem, t)
}

/// Claims valid for 15 minutes from now, whole seconds (what survives the trip).
fn claims(family: Option<Uuid>) -> TokenClaims {
    let now = DateTime::<Utc>::from_timestamp(Utc::now().timestamp(), 0).unwrap();
    TokenClaims {
        user_id: UserId::generate(),
        tenant_id: TenantId::generate(),
        roles: vec![Role::ADMIN, Role::MEMBER],
        id: Uuid::now_v7(),
        family,
        issued_at: now,
        expires_at: now + Duration::minutes(15),
    }
}

fn refresh_claims() -> TokenClaims {
    claims(Some(Uuid::now_v7()))
}

async fn authenticate(t: &JwtTokens, token: &str) -> psma_core::Result<Principal> {
    t.authenticate(&Credentials {
        bearer: Some(token.to_owned()),
    })
    .await
}

fn assert_invalid(result: psma_core::Result<impl std::fmt::Debug>) {
    match result {
        Err(Error::Unauthenticated(message)) => assert_eq!(message, "invalid token"),
        other => panic!("expected an invalid token, got {other:?}"),
    }
}

fn parts(token: &str) -> (Value, Value, String) {
    let mut it = token.split('.');
    let mut json_part =
        || serde_json::from_slice(&URL_SAFE_NO_PAD.decode(it.next().unwrap()).unwrap()).unwrap();
    let header = json_part();
    let payload = json_part();
    (header, payload, it.next().unwrap().to_owned())
}

/// Signs `payload` under `header` with `pem`'s key, however wrong the header: for tokens that
/// only the check under test can refuse.
fn sign(pem: &str, header: &Header, payload: &Value) -> String {
    use ed25519_dalek::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _};
    let der = ed25519_dalek::SigningKey::from_pkcs8_pem(pem)
        .unwrap()
        .to_pkcs8_der()
        .unwrap();
    jsonwebtoken::encode(header, payload, &EncodingKey::from_ed_der(der.as_bytes())).unwrap()
}

fn eddsa_header(kid: Option<&str>, typ: Option<&str>) -> Header {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = kid.map(str::to_owned);
    header.typ = typ.map(str::to_owned);
    header
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[tokio::test]
async fn an_access_token_round_trips_every_claim() {
    let (_, t) = fresh();
    let c = claims(None);
    let token = t.issue(TokenKind::Access, &c).unwrap();

    let (header, payload, _) = parts(&token);
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(header["kid"], t.keys().current_kid());
    assert_eq!(
        payload,
        json!({
            "sub": c.user_id.0, "tenant_id": c.tenant_id.0, "roles": ["admin", "member"],
            "jti": c.id, "iat": c.issued_at.timestamp(), "nbf": c.issued_at.timestamp(),
            "exp": c.expires_at.timestamp(), "iss": ISSUER, "aud": AUDIENCE, "type": "access",
        })
    );

    let principal = authenticate(&t, &token).await.unwrap();
    assert_eq!(
        principal,
        Principal {
            tenant_id: c.tenant_id,
            user_id: c.user_id,
            roles: c.roles.clone()
        }
    );
    assert_eq!(t.verify(&token, TokenKind::Access).unwrap(), c);
}

#[test]
fn a_refresh_token_round_trips_every_claim_with_its_family() {
    let (_, t) = fresh();
    let c = refresh_claims();
    let token = t.issue(TokenKind::Refresh, &c).unwrap();
    let (header, payload, _) = parts(&token);
    assert_eq!(header["typ"], "rt+jwt");
    assert_eq!(payload["type"], "refresh");
    assert_eq!(payload["fam"], json!(c.family.unwrap()));
    assert_eq!(t.verify_refresh(&token).unwrap(), c);
}

#[test]
fn a_refresh_token_without_a_family_is_not_issued() {
    let (_, t) = fresh();
    let err = t.issue(TokenKind::Refresh, &claims(None)).unwrap_err();
    assert!(matches!(err, Error::Internal(_)), "{err:?}");
}

#[tokio::test]
async fn a_missing_bearer_is_refused_as_missing() {
    let (_, t) = fresh();
    let err = t.authenticate(&Credentials::default()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Unauthenticated(m) if m == "missing bearer token"),
        "{err:?}"
    );
    assert_eq!(t.mode(), "jwt");
}

#[tokio::test]
async fn an_expired_token_is_refused_as_expired() {
    let (_, t) = fresh();
    let mut c = claims(None);
    c.issued_at -= Duration::hours(2);
    c.expires_at = c.issued_at + Duration::hours(1);
    let token = t.issue(TokenKind::Access, &c).unwrap();
    let err = authenticate(&t, &token).await.unwrap_err();
    assert!(
        matches!(&err, Error::Unauthenticated(m) if m == "expired token"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_token_used_before_its_time_is_refused() {
    let (_, t) = fresh();
    let mut c = claims(None);
    c.issued_at += Duration::minutes(10);
    c.expires_at += Duration::minutes(10);
    let token = t.issue(TokenKind::Access, &c).unwrap();
    assert_invalid(authenticate(&t, &token).await);
}

#[tokio::test]
async fn the_leeway_forgives_a_little_clock_skew_only() {
    let (_, t) = fresh();
    let mut c = claims(None);
    c.issued_at += Duration::seconds(2);
    let token = t.issue(TokenKind::Access, &c).unwrap();
    assert!(authenticate(&t, &token).await.is_ok());
}

#[tokio::test]
async fn a_token_for_another_audience_or_issuer_is_refused() {
    let pem = generate_pem().unwrap();
    let keys = key_set(&[&pem]);
    let ours = tokens(keys.clone());
    let other_audience = JwtTokens::new(keys.clone(), ISSUER, "someone-else", 5);
    let other_issuer = JwtTokens::new(keys, "https://evil.test", AUDIENCE, 5);
    for foreign in [other_audience, other_issuer] {
        let token = foreign.issue(TokenKind::Access, &claims(None)).unwrap();
        assert_invalid(authenticate(&ours, &token).await);
        let token = foreign
            .issue(TokenKind::Refresh, &refresh_claims())
            .unwrap();
        assert_invalid(ours.verify_refresh(&token));
    }
}

#[tokio::test]
async fn a_tampered_signature_is_refused() {
    let (_, t) = fresh();
    let token = t.issue(TokenKind::Access, &claims(None)).unwrap();
    let at = token.rfind('.').unwrap() + 5;
    let mut bytes = token.into_bytes();
    // The fifth character: fully data bits (the last one partly pads).
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    assert_invalid(authenticate(&t, &tampered).await);
}

#[tokio::test]
async fn a_tampered_payload_is_refused() {
    let (_, t) = fresh();
    let token = t.issue(TokenKind::Access, &claims(None)).unwrap();
    let (header, mut payload, signature) = parts(&token);
    payload["roles"] = json!(["owner"]);
    let tampered = format!("{}.{}.{signature}", b64(&header), b64(&payload));
    assert_invalid(authenticate(&t, &tampered).await);
}

#[tokio::test]
async fn an_unsigned_alg_none_token_is_refused() {
    let (_, t) = fresh();
    let token = t.issue(TokenKind::Access, &claims(None)).unwrap();
    let (mut header, payload, _) = parts(&token);
    header["alg"] = json!("none");
    for signature in ["", "AAAA"] {
        let forged = format!("{}.{}.{signature}", b64(&header), b64(&payload));
        assert_invalid(authenticate(&t, &forged).await);
    }
}

#[tokio::test]
async fn an_hs256_token_keyed_with_the_public_key_is_refused() {
    let (_, t) = fresh();
    let c = claims(None);
    let genuine = t.issue(TokenKind::Access, &c).unwrap();
    let (_, payload, _) = parts(&genuine);
    let jwk = &t.keys().jwks()["keys"][0];
    let x = jwk["x"].as_str().unwrap();
    let raw = URL_SAFE_NO_PAD.decode(x).unwrap();
    for secret in [raw.as_slice(), x.as_bytes()] {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(t.keys().current_kid().to_owned());
        header.typ = Some("at+jwt".to_owned());
        let forged =
            jsonwebtoken::encode(&header, &payload, &EncodingKey::from_secret(secret)).unwrap();
        assert_invalid(authenticate(&t, &forged).await);
    }
}

#[tokio::test]
async fn an_unknown_or_missing_kid_or_typ_is_refused() {
    let (pem, t) = fresh();
    let token = t.issue(TokenKind::Access, &claims(None)).unwrap();
    let (_, payload, _) = parts(&token);
    let kid = t.keys().current_kid();
    // Each validly signed by our key: only the header check can refuse them.
    assert!(
        authenticate(
            &t,
            &sign(&pem, &eddsa_header(Some(kid), Some("at+jwt")), &payload)
        )
        .await
        .is_ok()
    );
    for header in [
        eddsa_header(Some("not-a-key-of-ours"), Some("at+jwt")),
        eddsa_header(None, Some("at+jwt")),
        eddsa_header(Some(kid), None),
        eddsa_header(Some(kid), Some("JWT")),
    ] {
        assert_invalid(authenticate(&t, &sign(&pem, &header, &payload)).await);
    }
}

#[tokio::test]
async fn a_token_signed_by_a_key_outside_the_set_is_refused() {
    let (_, ours) = fresh();
    let (_, stranger) = fresh();
    let token = stranger.issue(TokenKind::Access, &claims(None)).unwrap();
    assert_invalid(authenticate(&ours, &token).await);
    // Even when it claims one of our key ids.
    let (mut header, payload, signature) = parts(&token);
    header["kid"] = json!(ours.keys().current_kid());
    let relabelled = format!("{}.{}.{signature}", b64(&header), b64(&payload));
    assert_invalid(authenticate(&ours, &relabelled).await);
}

#[tokio::test]
async fn a_refresh_token_is_no_access_token_and_vice_versa() {
    let (_, t) = fresh();
    let refresh = t.issue(TokenKind::Refresh, &refresh_claims()).unwrap();
    assert_invalid(authenticate(&t, &refresh).await);
    let access = t.issue(TokenKind::Access, &claims(None)).unwrap();
    assert_invalid(t.verify_refresh(&access));
}

#[tokio::test]
async fn the_type_claim_must_agree_with_the_header() {
    let (pem, t) = fresh();
    let access = t.issue(TokenKind::Access, &claims(None)).unwrap();
    let (header, mut payload, _) = parts(&access);
    let header: Header = serde_json::from_value(header).unwrap();
    payload["type"] = json!("refresh");
    assert_invalid(authenticate(&t, &sign(&pem, &header, &payload)).await);
    // A family on an access token is refused too.
    payload["type"] = json!("access");
    payload["fam"] = json!(Uuid::now_v7());
    assert_invalid(authenticate(&t, &sign(&pem, &header, &payload)).await);
    // Without either, the same re-signed token passes: the mismatches were the refusals.
    payload.as_object_mut().unwrap().remove("fam");
    assert!(
        authenticate(&t, &sign(&pem, &header, &payload))
            .await
            .is_ok()
    );
}

#[test]
fn typ_accepts_the_media_type_spelling_in_any_case() {
    assert!(typ_is("at+jwt", TokenKind::Access));
    assert!(typ_is("application/AT+JWT", TokenKind::Access));
    assert!(!typ_is("JWT", TokenKind::Access));
    assert!(!typ_is("at+jwt", TokenKind::Refresh));
    assert!(!typ_is("application/", TokenKind::Access));
}

#[tokio::test]
async fn keys_rotate_without_signing_anyone_out() {
    let (old, new) = (generate_pem().unwrap(), generate_pem().unwrap());
    let before = tokens(key_set(&[&old]));
    let old_token = before.issue(TokenKind::Access, &claims(None)).unwrap();
    let old_refresh = before.issue(TokenKind::Refresh, &refresh_claims()).unwrap();

    let after = tokens(key_set(&[&old, &new]));
    assert!(authenticate(&after, &old_token).await.is_ok());
    assert!(after.verify_refresh(&old_refresh).is_ok());

    let new_token = after.issue(TokenKind::Access, &claims(None)).unwrap();
    let new_kid = parts(&new_token).0["kid"].as_str().unwrap().to_owned();
    assert_eq!(new_kid, after.keys().current_kid());
    assert_ne!(new_kid, before.keys().current_kid());
    assert!(authenticate(&after, &new_token).await.is_ok());
    // A server still on the old set does not know the new key.
    assert_invalid(authenticate(&before, &new_token).await);

    let jwks = after.keys().jwks();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            assert!(k.get("d").is_none(), "public parts only: {k}");
            k["kid"].as_str().unwrap()
        })
        .collect();
    assert_eq!(kids, [before.keys().current_kid(), new_kid.as_str()]);
}

#[tokio::test]
async fn garbage_and_oversized_bearers_are_invalid() {
    let (_, t) = fresh();
    for garbage in ["", "a.b", "a.b.c", "....", "not a jwt"] {
        assert_invalid(authenticate(&t, garbage).await);
    }
    let token = t.issue(TokenKind::Access, &claims(None)).unwrap();
    let (header, mut payload, signature) = parts(&token);
    payload["pad"] = json!("x".repeat(MAX_TOKEN_LEN));
    let huge = format!("{}.{}.{signature}", b64(&header), b64(&payload));
    assert_invalid(authenticate(&t, &huge).await);
}
