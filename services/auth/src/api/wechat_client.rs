//! The WeChat `jscode2session` call behind a trait, so the login flow does not depend on
//! reqwest and tests (or another transport) can stand in for WeChat.

use std::time::Duration;

use sbm_common::config::Config;
use serde::Deserialize;

use crate::domain::error::WechatError;
use crate::domain::wechat::WechatIdentity;

/// Exchanges a mini-program login code for the user's WeChat ids.
#[async_trait::async_trait]
pub trait WechatClient: Send + Sync {
    async fn code_to_session(&self, config: &Config, code: &str) -> Result<WechatIdentity, WechatError>;
}

/// The real WeChat API over HTTPS (`SBM_WECHAT_BASE_URL`, app id and secret from the config).
pub struct HttpWechat {
    http: reqwest::Client,
}

impl HttpWechat {
    /// A client with a 10 s timeout.
    pub fn new() -> Result<Self, reqwest::Error> {
        Ok(Self {
            http: reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?,
        })
    }
}

#[derive(Debug, Deserialize)]
struct Code2Session {
    openid: Option<String>,
    unionid: Option<String>,
    errcode: Option<i64>,
    errmsg: Option<String>,
}

#[async_trait::async_trait]
impl WechatClient for HttpWechat {
    async fn code_to_session(&self, config: &Config, code: &str) -> Result<WechatIdentity, WechatError> {
        let url = format!("{}/sns/jscode2session", config.wechat_base_url);
        let res = self
            .http
            .get(&url)
            .query(&[
                ("appid", config.wechat_app_id.as_str()),
                ("secret", config.wechat_app_secret.0.as_str()),
                ("js_code", code),
                ("grant_type", "authorization_code"),
            ])
            .send()
            .await
            .map_err(|e| {
                tracing::error!(error = %e.without_url(), "WeChat session endpoint unreachable");
                WechatError::Unreachable
            })?;
        let body: Code2Session = res.json().await.map_err(|e| {
            tracing::error!(error = %e.without_url(), "WeChat session endpoint answered garbage");
            WechatError::BadAnswer
        })?;
        match body.openid {
            Some(openid) if body.errcode.unwrap_or(0) == 0 => Ok(WechatIdentity {
                openid,
                unionid: body.unionid.filter(|u| !u.is_empty()),
            }),
            _ => {
                tracing::info!(errcode = ?body.errcode, errmsg = ?body.errmsg, "WeChat refused a login code");
                Err(WechatError::CodeRefused)
            }
        }
    }
}
