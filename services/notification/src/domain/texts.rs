//! What each event says to the member, in English, Thai and Chinese.
//!
//! Plain `format!` over the event's facts: these are fixed sentences with a number or a code
//! in them, not templates staff edit (mail templates, which staff do edit, come with their own
//! template engine).

use anyhow::Context;
use serde::de::DeserializeOwned;
use serde_json::json;

use sbm_common::outbox::Event;

use super::inbound::{self, *};
use super::inbox::Category;

/// One text in the three locales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tr {
    pub en: String,
    pub th: String,
    pub cn: String,
}

pub fn tr(en: String, th: String, cn: String) -> Tr {
    Tr { en, th, cn }
}

/// A notification to write.
#[derive(Debug, Clone)]
pub struct Draft {
    pub member_id: String,
    pub category: Category,
    pub kind: String,
    pub title: Tr,
    pub body: Tr,
    pub data: serde_json::Value,
    pub cta_url: Option<String>,
    pub image_url: Option<String>,
}

fn parse<T: DeserializeOwned>(event: &Event) -> anyhow::Result<T> {
    serde_json::from_value(event.payload.clone())
        .with_context(|| format!("event {} ({}): payload does not parse", event.id, event.topic))
}

/// The notification an event makes, if it makes one.
pub fn draft(event: &Event) -> anyhow::Result<Option<Draft>> {
    let kind = event.topic.clone();
    let d = |member_id: String, category: Category, title: Tr, body: Tr, data: serde_json::Value| Draft {
        member_id,
        category,
        kind: kind.clone(),
        title,
        body,
        data,
        cta_url: None,
        image_url: None,
    };
    Ok(Some(match event.topic.as_str() {
        inbound::POINTS_EARNED => {
            let e: PointsMoved = parse(event)?;
            // A badge's points are told by the badge's own notification.
            if e.points <= 0 || e.source.as_deref() == Some("badge") {
                return Ok(None);
            }
            let (p, b) = (e.points, e.balance);
            d(
                e.member_id,
                Category::Transactions,
                tr(
                    format!("You earned {p} points"),
                    format!("คุณได้รับ {p} คะแนน"),
                    format!("您获得了 {p} 积分"),
                ),
                tr(
                    format!("Your balance is now {b} points."),
                    format!("ยอดคะแนนของคุณตอนนี้คือ {b} คะแนน"),
                    format!("您当前的积分余额为 {b}。"),
                ),
                json!({"transactionId": e.transaction_id, "points": p, "balance": b, "source": e.source}),
            )
        }
        inbound::POINTS_SPENT => {
            let e: PointsMoved = parse(event)?;
            // A redemption's spend is told by the redemption's own notification.
            if e.source.as_deref() == Some("reward") {
                return Ok(None);
            }
            let (p, b) = (e.points.abs(), e.balance);
            d(
                e.member_id,
                Category::Transactions,
                tr(
                    format!("You used {p} points"),
                    format!("คุณใช้ {p} คะแนน"),
                    format!("您使用了 {p} 积分"),
                ),
                tr(
                    format!("Your balance is now {b} points."),
                    format!("ยอดคะแนนของคุณตอนนี้คือ {b} คะแนน"),
                    format!("您当前的积分余额为 {b}。"),
                ),
                json!({"transactionId": e.transaction_id, "points": -p, "balance": b, "source": e.source}),
            )
        }
        inbound::POINTS_EXPIRED => {
            let e: PointsMoved = parse(event)?;
            let (p, b) = (e.points.abs(), e.balance);
            d(
                e.member_id,
                Category::Transactions,
                tr(
                    format!("{p} points expired"),
                    format!("คะแนน {p} คะแนนหมดอายุแล้ว"),
                    format!("{p} 积分已过期"),
                ),
                tr(
                    format!("Your balance is now {b} points."),
                    format!("ยอดคะแนนของคุณตอนนี้คือ {b} คะแนน"),
                    format!("您当前的积分余额为 {b}。"),
                ),
                json!({"transactionId": e.transaction_id, "points": -p, "balance": b}),
            )
        }
        inbound::TIER_CHANGED => {
            let e: TierChanged = parse(event)?;
            let t = &e.to_tier_code;
            let (title, body) = if e.direction == "up" {
                (
                    tr(
                        format!("Welcome to {t}!"),
                        format!("ยินดีต้อนรับสู่ระดับ {t}!"),
                        format!("欢迎升级至 {t}！"),
                    ),
                    tr(
                        format!("You reached the {t} tier. Enjoy its benefits."),
                        format!("คุณได้เลื่อนเป็นระดับ {t} แล้ว เพลิดเพลินกับสิทธิประโยชน์"),
                        format!("您已升级至 {t} 等级，尽享专属权益。"),
                    ),
                )
            } else {
                (
                    tr(
                        format!("Your tier is now {t}"),
                        format!("ระดับของคุณตอนนี้คือ {t}"),
                        format!("您的等级已变更为 {t}"),
                    ),
                    tr(
                        format!("Your membership moved to the {t} tier."),
                        format!("สมาชิกภาพของคุณเปลี่ยนเป็นระดับ {t}"),
                        format!("您的会员等级已调整为 {t}。"),
                    ),
                )
            };
            d(
                e.member_id,
                Category::Loyalty,
                title,
                body,
                json!({"fromTierCode": e.from_tier_code, "toTierCode": t, "direction": e.direction}),
            )
        }
        inbound::TIER_DOWNGRADE_WARNING => {
            let e: TierDowngradeWarning = parse(event)?;
            let (t, n, day) = (&e.tier_code, e.needed, e.evaluates_at.format("%Y-%m-%d"));
            d(
                e.member_id.clone(),
                Category::Loyalty,
                tr(
                    format!("Keep your {t} tier"),
                    format!("รักษาระดับ {t} ของคุณ"),
                    format!("保持您的 {t} 等级"),
                ),
                tr(
                    format!("{n} more to keep {t} by {day}."),
                    format!("อีก {n} เพื่อรักษาระดับ {t} ภายใน {day}"),
                    format!("在 {day} 前还需 {n} 即可保持 {t}。"),
                ),
                json!({"tierCode": t, "toTierCode": e.to_tier_code, "needed": n, "evaluatesAt": e.evaluates_at}),
            )
        }
        inbound::BADGE_AWARDED => {
            let e: BadgeAwarded = parse(event)?;
            let b = &e.badge_code;
            d(
                e.member_id,
                Category::Loyalty,
                tr(
                    format!("New badge: {b}"),
                    format!("เหรียญใหม่: {b}"),
                    format!("新徽章：{b}"),
                ),
                tr(
                    "You earned a badge. See it in your profile.".into(),
                    "คุณได้รับเหรียญ ดูได้ในโปรไฟล์ของคุณ".into(),
                    "您获得了一枚徽章，可在个人资料中查看。".into(),
                ),
                json!({"awardId": e.award_id, "badgeCode": b, "rewardPoints": e.reward_points}),
            )
        }
        inbound::REDEMPTION_CREATED
        | inbound::REDEMPTION_USED
        | inbound::REDEMPTION_CANCELLED
        | inbound::REDEMPTION_EXPIRED => {
            let e: RedemptionChanged = parse(event)?;
            let r = &e.reward_code;
            let (title, body) = match event.topic.as_str() {
                inbound::REDEMPTION_CREATED => (
                    tr(
                        format!("Reward redeemed: {r}"),
                        format!("แลกของรางวัลแล้ว: {r}"),
                        format!("已兑换奖励：{r}"),
                    ),
                    tr(
                        "Show its QR code at the counter to use it.".into(),
                        "แสดงคิวอาร์โค้ดที่เคาน์เตอร์เพื่อใช้สิทธิ์".into(),
                        "在柜台出示二维码即可使用。".into(),
                    ),
                ),
                inbound::REDEMPTION_USED => (
                    tr(
                        format!("Reward used: {r}"),
                        format!("ใช้ของรางวัลแล้ว: {r}"),
                        format!("奖励已使用：{r}"),
                    ),
                    tr("Enjoy!".into(), "ขอให้สนุก!".into(), "祝您愉快！".into()),
                ),
                inbound::REDEMPTION_CANCELLED => {
                    let p = e.points_refunded.unwrap_or(0);
                    (
                        tr(
                            format!("Redemption cancelled: {r}"),
                            format!("ยกเลิกการแลกแล้ว: {r}"),
                            format!("兑换已取消：{r}"),
                        ),
                        tr(
                            format!("{p} points were returned to you."),
                            format!("คืนคะแนน {p} คะแนนให้คุณแล้ว"),
                            format!("已退还 {p} 积分。"),
                        ),
                    )
                }
                _ => (
                    tr(
                        format!("Reward expired: {r}"),
                        format!("ของรางวัลหมดอายุ: {r}"),
                        format!("奖励已过期：{r}"),
                    ),
                    tr(
                        "It was not used in time.".into(),
                        "ไม่ได้ใช้ภายในเวลาที่กำหนด".into(),
                        "未在有效期内使用。".into(),
                    ),
                ),
            };
            d(
                e.member_id,
                Category::Transactions,
                title,
                body,
                json!({"redemptionId": e.redemption_id, "rewardCode": r, "pointsCost": e.points_cost,
                       "pointsRefunded": e.points_refunded, "expiresAt": e.expires_at}),
            )
        }
        inbound::RECEIPT_APPROVED | inbound::RECEIPT_REJECTED => {
            let e: ReceiptDecided = parse(event)?;
            let (title, body) = if event.topic == inbound::RECEIPT_APPROVED {
                let p = e.points.unwrap_or(0);
                (
                    tr(
                        "Receipt approved".into(),
                        "อนุมัติใบเสร็จแล้ว".into(),
                        "小票已审核通过".into(),
                    ),
                    tr(
                        format!("It earned you {p} points."),
                        format!("คุณได้รับ {p} คะแนนจากใบเสร็จนี้"),
                        format!("您因此获得 {p} 积分。"),
                    ),
                )
            } else {
                let why = e.reason.clone().unwrap_or_default();
                (
                    tr(
                        "Receipt not approved".into(),
                        "ใบเสร็จไม่ได้รับการอนุมัติ".into(),
                        "小票未通过审核".into(),
                    ),
                    tr(why.clone(), why.clone(), why),
                )
            };
            d(
                e.member_id,
                Category::Transactions,
                title,
                body,
                json!({"receiptId": e.receipt_id, "points": e.points, "reason": e.reason}),
            )
        }
        inbound::POINTS_EXPIRING => {
            let e: PointsExpiring = parse(event)?;
            let (p, day) = (e.points, e.expires_at.format("%Y-%m-%d"));
            d(
                e.member_id,
                Category::Loyalty,
                tr(
                    format!("{p} points expire soon"),
                    format!("คะแนน {p} คะแนนใกล้หมดอายุ"),
                    format!("{p} 积分即将过期"),
                ),
                tr(
                    format!("Use them by {day}."),
                    format!("ใช้คะแนนก่อนวันที่ {day}"),
                    format!("请在 {day} 前使用。"),
                ),
                json!({"points": p, "expiresAt": e.expires_at}),
            )
        }
        inbound::TICKET_APPROVED | inbound::TICKET_REJECTED => {
            let e: TicketDecided = parse(event)?;
            let (title, body) = if event.topic == inbound::TICKET_APPROVED {
                let p = e.points.unwrap_or(0);
                (
                    tr(
                        "Point request approved".into(),
                        "อนุมัติคำขอคะแนนแล้ว".into(),
                        "积分申请已批准".into(),
                    ),
                    tr(
                        format!("{p} points were added to your balance."),
                        format!("เพิ่ม {p} คะแนนในยอดของคุณแล้ว"),
                        format!("已为您增加 {p} 积分。"),
                    ),
                )
            } else {
                let why = e.reason.clone().unwrap_or_default();
                (
                    tr(
                        "Point request not approved".into(),
                        "คำขอคะแนนไม่ได้รับการอนุมัติ".into(),
                        "积分申请未获批准".into(),
                    ),
                    tr(why.clone(), why.clone(), why),
                )
            };
            d(
                e.member_id,
                Category::Transactions,
                title,
                body,
                json!({"ticketId": e.ticket_id, "points": e.points, "reason": e.reason}),
            )
        }
        _ => return Ok(None),
    }))
}
