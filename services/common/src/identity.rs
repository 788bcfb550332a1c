//! Who is calling: staff JWT, member JWT or API key, resolved once per request into a
//! [`Principal`], and the permission matrix every route checks against.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, spki::der::pem::LineEnding};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::config::Config;
use crate::error::ApiError;

/// Staff roles, least to most powerful (the order is the grant order: a role holds every
/// permission a lesser role holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Support,
    Manager,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Support => "support",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "viewer" => Some(Role::Viewer),
            "support" => Some(Role::Support),
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// API-key plans from the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Standard,
    Premium,
    Enterprise,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Standard => "standard",
            Plan::Premium => "premium",
            Plan::Enterprise => "enterprise",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "standard" => Some(Plan::Standard),
            "premium" => Some(Plan::Premium),
            "enterprise" => Some(Plan::Enterprise),
            _ => None,
        }
    }
}

/// A permission a route requires, declared by the service that owns it (each service lists
/// its own in its `ServiceModule`, so common never grows with a new service). Staff hold it
/// from `min_role` up; an API key holds it when it carries the scope of the same name, which
/// only permissions marked `api_key_scope` may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    pub name: &'static str,
    pub min_role: Role,
    pub api_key_scope: bool,
}

impl Permission {
    /// A staff-only permission held from `min_role` up.
    pub const fn staff(name: &'static str, min_role: Role) -> Self {
        Self {
            name,
            min_role,
            api_key_scope: false,
        }
    }
    /// The same permission, also grantable to API keys as a scope.
    pub const fn with_api_keys(self) -> Self {
        Self {
            api_key_scope: true,
            ..self
        }
    }
    /// Whether a staff role holds it.
    pub fn granted_to(self, role: Role) -> bool {
        role >= self.min_role
    }
}

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Staff {
        id: String,
        role: Role,
        session: String,
    },
    Member {
        id: String,
        session: String,
    },
    ApiKey {
        id: String,
        scopes: Vec<String>,
        plan: Plan,
        limit_per_hour: Option<u64>,
    },
}

impl Principal {
    /// 403 unless this principal holds `p`. Members hold no staff permission.
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        let ok = match self {
            Principal::Staff { role, .. } => p.granted_to(*role),
            Principal::ApiKey { scopes, .. } => p.api_key_scope && scopes.iter().any(|s| s == p.name),
            Principal::Member { .. } => false,
        };
        if ok {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("Missing permission `{}`", p.name)))
        }
    }
    /// The member id when the caller is a member.
    pub fn member_id(&self) -> Result<&str, ApiError> {
        match self {
            Principal::Member { id, .. } => Ok(id),
            _ => Err(ApiError::forbidden("Only members can use this endpoint")),
        }
    }
    /// A member may act only on itself; staff and keys need `p`.
    pub fn require_member_or(&self, member_id: &str, p: Permission) -> Result<(), ApiError> {
        match self {
            Principal::Member { id, .. } if id == member_id => Ok(()),
            Principal::Member { .. } => Err(ApiError::forbidden("Members can only access their own data")),
            _ => self.require(p),
        }
    }
    /// Stable key for rate limiting and idempotency scopes.
    pub fn key(&self) -> String {
        match self {
            Principal::Staff { id, .. } => format!("staff:{id}"),
            Principal::Member { id, .. } => format!("member:{id}"),
            Principal::ApiKey { id, .. } => format!("key:{id}"),
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Principal::Staff { .. } => "staff",
            Principal::Member { .. } => "member",
            Principal::ApiKey { .. } => "apiKey",
        }
    }
    pub fn id(&self) -> &str {
        match self {
            Principal::Staff { id, .. } | Principal::Member { id, .. } | Principal::ApiKey { id, .. } => id,
        }
    }
}

/// Claims of our access tokens.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// `staff` or `member`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The refresh-token family this access token belongs to.
    pub sid: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

/// Audience of every access token.
pub const AUDIENCE: &str = "sbm-crm";

/// Signing and verification keys (Ed25519). The signing key lives only where tokens are
/// issued; every service verifies with public keys, and old keys stay valid during rotation.
pub struct JwtKeys {
    signing: Option<(String, EncodingKey)>,
    verifying: HashMap<String, DecodingKey>,
    jwks: Vec<serde_json::Value>,
    issuer: String,
    /// Access tokens already verified, by the token itself: clients send the same token many
    /// times, and an Ed25519 check is the largest CPU cost of a short request. Expiry is still
    /// checked on every use.
    verified: std::sync::Mutex<HashMap<String, Claims>>,
    /// Derived from the signing key: seals stored responses that carry secrets (see
    /// `idempotency`), so every replica sharing the key can open them and nobody else can.
    seal: [u8; 32],
}

/// Verified tokens kept at most (the cache is emptied when full).
const VERIFIED_CACHE: usize = 50_000;

fn kid_of(public: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(public.as_bytes())[..8])
}

impl JwtKeys {
    /// Loads keys from configuration, or creates (once) and persists a development key.
    pub fn load(config: &Config) -> anyhow::Result<Self> {
        let signing = match &config.jwt_signing_key_file {
            Some(path) => read_signing_key(path)?,
            None => {
                let path = config.data_dir.join("jwt-dev-signing-key.pem");
                let key = if path.exists() {
                    read_signing_key(&path)?
                } else {
                    std::fs::create_dir_all(&config.data_dir)?;
                    let key = SigningKey::generate(&mut rand::rngs::OsRng);
                    let pem = key
                        .to_pkcs8_pem(LineEnding::LF)
                        .map_err(|e| anyhow::anyhow!("cannot encode development key: {e}"))?;
                    write_private(&path, pem.as_bytes())?;
                    key
                };
                tracing::warn!(
                    path = %path.display(),
                    "!!! USING A DEVELOPMENT JWT SIGNING KEY. Set SBM_JWT_SIGNING_KEY_FILE in production: \
                     this key lives in the data directory and is not shared between replicas !!!"
                );
                key
            }
        };
        let mut keys = Self::from_signing_key(signing, &config.jwt_issuer);
        for path in &config.jwt_verify_key_files {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("SBM_JWT_VERIFY_KEY_FILES: cannot read {}: {e}", path.display()))?;
            let public = match VerifyingKey::from_public_key_pem(&text) {
                Ok(k) => k,
                Err(_) => SigningKey::from_pkcs8_pem(&text)
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "SBM_JWT_VERIFY_KEY_FILES: {} is no Ed25519 PEM key: {e}",
                            path.display()
                        )
                    })?
                    .verifying_key(),
            };
            keys.add_verifying(&public);
        }
        Ok(keys)
    }

    /// Keys for one signing key (tests and the loader use it).
    pub fn from_signing_key(key: SigningKey, issuer: &str) -> Self {
        let public = key.verifying_key();
        let kid = kid_of(&public);
        let der = key.to_pkcs8_der().expect("an Ed25519 key always encodes");
        let mut keys = JwtKeys {
            signing: Some((kid, EncodingKey::from_ed_der(der.as_bytes()))),
            verifying: HashMap::new(),
            jwks: Vec::new(),
            issuer: issuer.to_string(),
            verified: std::sync::Mutex::new(HashMap::new()),
            seal: Sha256::new()
                .chain_update(b"sbm-crm/idempotency-seal/v1\0")
                .chain_update(key.to_bytes())
                .finalize()
                .into(),
        };
        keys.add_verifying(&public);
        keys
    }

    /// The secret that seals stored responses carrying credentials.
    pub fn seal_secret(&self) -> &[u8; 32] {
        &self.seal
    }

    fn add_verifying(&mut self, public: &VerifyingKey) {
        let kid = kid_of(public);
        if self.verifying.contains_key(&kid) {
            return;
        }
        let x = URL_SAFE_NO_PAD.encode(public.as_bytes());
        let dk = DecodingKey::from_ed_components(&x).expect("valid base64");
        self.verifying.insert(kid.clone(), dk);
        self.jwks.push(serde_json::json!({
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid, "x": x
        }));
    }

    /// The JWKS document.
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": self.jwks })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Signs access-token claims with the current key.
    pub fn sign(&self, claims: &Claims) -> Result<String, ApiError> {
        self.sign_any(claims)
    }

    /// Signs any claims (member QR codes use their own audience).
    pub fn sign_any<T: Serialize>(&self, claims: &T) -> Result<String, ApiError> {
        let (kid, key) = self
            .signing
            .as_ref()
            .ok_or_else(|| ApiError::internal("no signing key configured"))?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(&header, claims, key).map_err(ApiError::internal)
    }

    /// Verifies signature, issuer, audience and expiry of an access token.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let now = crate::clock::Clock::system_now().timestamp();
        if let Some(c) = self
            .verified
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(token)
        {
            return if c.exp > now - 5 {
                Ok(c.clone())
            } else {
                Err(ApiError::unauthorized("Invalid or expired access token"))
            };
        }
        let claims: Claims = self.verify_any(token, AUDIENCE)?;
        let mut cache = self.verified.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.len() >= VERIFIED_CACHE {
            cache.clear();
        }
        cache.insert(token.to_string(), claims.clone());
        Ok(claims)
    }

    /// Verifies a token of the given audience (5 s of leeway for clock skew between replicas).
    pub fn verify_any<T: serde::de::DeserializeOwned>(&self, token: &str, audience: &str) -> Result<T, ApiError> {
        self.verify_with_leeway(token, audience, 5)
    }

    /// Verifies a token of the given audience with `leeway` seconds of tolerance on expiry.
    pub fn verify_with_leeway<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
        audience: &str,
        leeway: u64,
    ) -> Result<T, ApiError> {
        let bad = || ApiError::unauthorized("Invalid or expired access token");
        let header = jsonwebtoken::decode_header(token).map_err(|_| bad())?;
        if header.alg != Algorithm::EdDSA {
            return Err(bad());
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|k| self.verifying.get(k))
            .ok_or_else(bad)?;
        let mut v = Validation::new(Algorithm::EdDSA);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[audience]);
        v.leeway = leeway;
        jsonwebtoken::decode::<T>(token, key, &v)
            .map(|d| d.claims)
            .map_err(|_| bad())
    }
}

/// Reads an Ed25519 signing key (PKCS#8 PEM), as `SBM_JWT_SIGNING_KEY_FILE` names it.
pub fn read_signing_key(path: &Path) -> anyhow::Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("SBM_JWT_SIGNING_KEY_FILE: cannot read {}: {e}", path.display()))?;
    SigningKey::from_pkcs8_pem(&text).map_err(|e| {
        anyhow::anyhow!(
            "SBM_JWT_SIGNING_KEY_FILE: {} is no Ed25519 PKCS#8 PEM key: {e}",
            path.display()
        )
    })
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    Ok(())
}

/// Generates a new Ed25519 signing key as PKCS#8 PEM (for `sbm-crm gen-jwt-key`).
pub fn generate_signing_key_pem() -> String {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    key.to_pkcs8_pem(LineEnding::LF).expect("encodes").to_string()
}

/// An API key as the resolver returns it.
#[derive(Debug, Clone)]
pub struct ApiKeyInfo {
    pub id: String,
    pub scopes: Vec<String>,
    pub plan: Plan,
    pub limit_per_hour: Option<u64>,
}

/// Looks API keys up by their hash and tells whether a token's session is still live; the auth
/// service provides it to every service. Both answers may be cached for a short while: that
/// is the bound on how long a revoked key or an ended session (logout, demotion, deactivation,
/// member deletion) keeps working on another replica.
#[async_trait::async_trait]
pub trait CredentialStore: Send + Sync {
    /// `Ok(None)` for an unknown, revoked or expired key.
    async fn resolve(&self, key_hash: &str) -> Result<Option<ApiKeyInfo>, ApiError>;
    /// Whether the session (refresh-token family) an access token names is still live.
    async fn session_live(&self, session: &str) -> Result<bool, ApiError>;
    /// Forgets cached lookups after a key or session changed in this process (other replicas
    /// catch up within their cache's lifetime).
    fn invalidate(&self) {}
    /// When key `id` was last used, if that is so far known only in memory.
    fn pending_last_used(&self, _id: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }
    /// Writes what is known only in memory (last use); returns how many keys it wrote.
    async fn flush(&self) -> anyhow::Result<usize> {
        Ok(0)
    }
}

/// SHA-256 of an API key, hex. Keys are 190+ bits of randomness, so a fast hash is enough.
pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Every API key starts with this, so leaked keys are recognisable by secret scanners.
pub const API_KEY_PREFIX: &str = "sbmk_";

/// Finds the credential in the request: `X-API-Key`, or `Authorization: Bearer`.
pub fn credential(headers: &HeaderMap) -> Option<Credential> {
    if let Some(k) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(Credential::ApiKey(k.trim().to_string()));
    }
    let auth = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let token = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("bearer "))?
        .trim();
    if token.starts_with(API_KEY_PREFIX) {
        Some(Credential::ApiKey(token.to_string()))
    } else {
        Some(Credential::Jwt(token.to_string()))
    }
}

/// A raw credential before verification.
#[derive(Clone)]
pub enum Credential {
    Jwt(String),
    ApiKey(String),
}

/// Resolves the caller of a request (done once, by the identity middleware).
pub async fn resolve(
    keys: &JwtKeys,
    store: &Arc<dyn CredentialStore>,
    cred: Credential,
) -> Result<Principal, ApiError> {
    match cred {
        Credential::Jwt(token) => {
            let c = keys.verify(&token)?;
            if !store.session_live(&c.sid).await? {
                return Err(ApiError::unauthorized("Session has ended"));
            }
            match c.kind.as_str() {
                "staff" => {
                    let role = c
                        .role
                        .as_deref()
                        .and_then(Role::parse)
                        .ok_or_else(|| ApiError::unauthorized("Invalid or expired access token"))?;
                    Ok(Principal::Staff {
                        id: c.sub,
                        role,
                        session: c.sid,
                    })
                }
                "member" => Ok(Principal::Member {
                    id: c.sub,
                    session: c.sid,
                }),
                _ => Err(ApiError::unauthorized("Invalid or expired access token")),
            }
        }
        Credential::ApiKey(key) => {
            let info = store
                .resolve(&hash_api_key(&key))
                .await?
                .ok_or_else(|| ApiError::unauthorized("Invalid, revoked or expired API key"))?;
            Ok(Principal::ApiKey {
                id: info.id,
                scopes: info.scopes,
                plan: info.plan,
                limit_per_hour: info.limit_per_hour,
            })
        }
    }
}

/// What the identity middleware found, stored in request extensions.
#[derive(Clone)]
pub struct Identity(pub Result<Option<Principal>, (axum::http::StatusCode, String)>);

/// Extractor for routes that need a caller: 401 when there is none or it is invalid.
pub struct Auth(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Identity>() {
            Some(Identity(Ok(Some(p)))) => Ok(Auth(p.clone())),
            Some(Identity(Err((status, msg)))) => Err(ApiError::new(*status, msg.clone())),
            _ => Err(ApiError::unauthorized("Authentication required")),
        }
    }
}

/// Extractor for public routes that show more to a caller: `None` without credentials, the
/// caller when they are valid, 401 when they are given but invalid.
pub struct MaybeAuth(pub Option<Principal>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Identity>() {
            Some(Identity(Ok(p))) => Ok(MaybeAuth(p.clone())),
            Some(Identity(Err((status, msg)))) => Err(ApiError::new(*status, msg.clone())),
            None => Ok(MaybeAuth(None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_hold_what_lesser_roles_hold_and_keys_only_their_scopes() {
        let write = Permission::staff("things:write", Role::Support).with_api_keys();
        let admin = Permission::staff("things:admin", Role::Admin);
        assert!(write.granted_to(Role::Admin) && write.granted_to(Role::Support));
        assert!(!write.granted_to(Role::Viewer));
        assert!(!admin.granted_to(Role::Manager));
        let key = |scopes: &[&str]| Principal::ApiKey {
            id: "k".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            plan: Plan::Standard,
            limit_per_hour: None,
        };
        assert!(key(&["things:write"]).require(write).is_ok());
        assert!(key(&["other"]).require(write).is_err());
        // A scope that is not grantable to keys never counts, even if a row carries it.
        assert!(key(&["things:admin"]).require(admin).is_err());
        let member = Principal::Member {
            id: "m".into(),
            session: "s".into(),
        };
        assert!(member.require(write).is_err());
    }

    #[test]
    fn tokens_round_trip_and_rotation_keeps_old_tokens() {
        let old = SigningKey::generate(&mut rand::rngs::OsRng);
        let old_keys = JwtKeys::from_signing_key(old.clone(), "iss");
        let now = crate::clock::Clock::system_now().timestamp();
        let claims = Claims {
            sub: "s1".into(),
            kind: "staff".into(),
            role: Some("admin".into()),
            sid: "f".into(),
            iss: "iss".into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + 60,
            jti: "j".into(),
        };
        let token = old_keys.sign(&claims).unwrap();
        assert_eq!(old_keys.verify(&token).unwrap().sub, "s1");
        // Rotate: a new signing key, the old one kept for verification.
        let mut new_keys = JwtKeys::from_signing_key(SigningKey::generate(&mut rand::rngs::OsRng), "iss");
        new_keys.add_verifying(&old.verifying_key());
        assert_eq!(new_keys.verify(&token).unwrap().sub, "s1");
        assert_eq!(new_keys.jwks()["keys"].as_array().unwrap().len(), 2);
        // Tampering and wrong issuers fail.
        let other = JwtKeys::from_signing_key(old, "other");
        assert!(other.verify(&token).is_err());
        let mut t2 = token.clone();
        t2.pop();
        assert!(old_keys.verify(&t2).is_err());
        let expired = Claims {
            exp: now - 100,
            ..claims
        };
        assert!(old_keys.verify(&old_keys.sign(&expired).unwrap()).is_err());
    }
}
