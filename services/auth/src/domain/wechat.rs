//! WeChat mini-program login, after the HTTP layer has exchanged the login code for the
//! user's ids: find the member by unionid or openid (linking the other id), or create it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::error::{MemberError, WechatError};
use super::members::{self, ACTIVE, NewMember};
use super::sessions::{self, Issued, Subject};
use crate::entity::members as member;

/// Who WeChat says the user is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatIdentity {
    /// Per mini-program user id.
    pub openid: String,
    /// Per WeChat open-platform account id, when the app is bound to one.
    pub unionid: Option<String>,
}

/// The outcome of a WeChat login.
#[derive(Debug)]
pub struct WechatLogin {
    pub session: Issued,
    pub member: member::Model,
    /// True when this login created the member.
    pub is_new_member: bool,
}

/// Records the WeChat id the member was not found by: the openid when found by unionid (it
/// differs per mini-program), the unionid when found by openid and none was known yet.
async fn link_wechat(
    db: &impl ConnectionTrait,
    m: &member::Model,
    who: &WechatIdentity,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let (column, value, only_if_empty) = match &who.unionid {
        Some(u) if m.wechat_unionid.as_deref() == Some(u.as_str()) => {
            if m.wechat_openid.as_deref() == Some(who.openid.as_str()) {
                return Ok(());
            }
            (member::Column::WechatOpenid, who.openid.clone(), false)
        }
        Some(u) => (member::Column::WechatUnionid, u.clone(), true),
        None => return Ok(()),
    };
    let mut update = member::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .col_expr(member::Column::UpdatedAt, Expr::value(now))
        .filter(member::Column::Id.eq(m.id.as_str()));
    if only_if_empty {
        update = update.filter(member::Column::WechatUnionid.is_null());
    }
    update.exec(db).await?;
    Ok(())
}

/// Finds the member by unionid then openid, or creates it (emitting `member.registered`);
/// then starts a member session. A concurrent first login of the same user loses the insert
/// race and finds the winner's member on the next pass.
pub async fn login(
    db: &DatabaseConnection,
    who: WechatIdentity,
    first_name: Option<String>,
    last_name: Option<String>,
    refresh_ttl: Duration,
    now: DateTime<Utc>,
) -> Result<WechatLogin, WechatError> {
    let mut found = None;
    for _attempt in 0..2 {
        let by_unionid = match &who.unionid {
            Some(u) => members::find_by(db, member::Column::WechatUnionid, u).await?,
            None => None,
        };
        let existing = match by_unionid {
            Some(m) => Some(m),
            None => members::find_by(db, member::Column::WechatOpenid, &who.openid).await?,
        };
        if let Some(m) = existing {
            link_wechat(db, &m, &who, now).await?;
            found = Some((m, false));
            break;
        }
        let txn = sbm_common::db::begin_write(db).await?;
        let new = NewMember {
            source: "wechat",
            first_name: first_name.clone().unwrap_or_default(),
            last_name: last_name.clone().unwrap_or_default(),
            wechat_openid: Some(who.openid.clone()),
            wechat_unionid: who.unionid.clone(),
            ..Default::default()
        };
        match members::insert_member(&txn, new, now).await {
            Ok(m) => {
                txn.commit().await?;
                found = Some((m, true));
                break;
            }
            Err(MemberError::Taken { .. }) => {
                txn.rollback().await?;
                continue;
            }
            Err(e) => return Err(e.into()),
        }
    }
    let (member, is_new_member) = found.ok_or(WechatError::Race)?;
    if member.status != ACTIVE {
        return Err(WechatError::AccountDeleted);
    }
    let subject = Subject {
        kind: "member",
        id: member.id.clone(),
        role: None,
    };
    let session = sessions::start(db, subject, refresh_ttl, now).await?;
    Ok(WechatLogin {
        session,
        member,
        is_new_member,
    })
}
