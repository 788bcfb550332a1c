//! The real-time stream: fan-out across two replicas on one PostgreSQL and Redis, resuming
//! with `Last-Event-ID`, `reset` beyond retention, who sees what, the token in the query, the
//! per-principal cap, heartbeats, no compression, and ending on shutdown.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::*;

/// Fast consumers; the replicas' poll timers are slow, so only the Redis wake-up can deliver
/// within the test's bounds.
fn opts() -> Opts {
    Opts::default()
        .var("SBM_OUTBOX_POLL_MS", "50")
        .var("SBM_SSE_POLL_MS", "60000")
}

async fn earn(base: &str, token: &str, member: &str, points: i64) {
    let res = reqwest::Client::new()
        .post(format!("{base}/point/api/transactions/earn"))
        .bearer_auth(token)
        .json(&json!({"memberId": member, "points": points, "source": "test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

async fn open(base: &str, token: &str, headers: &[(&str, &str)]) -> SseClient {
    let s = SseClient::open(&format!("{base}/notification/api/sse"), Some(token), headers).await;
    assert_eq!(s.status, 200, "{}", s.error);
    s
}

/// Waits for the first event named `name`, returning it and everything before it.
async fn until(s: &mut SseClient, name: &str, wait: Duration) -> (SseEvent, Vec<SseEvent>) {
    let deadline = Instant::now() + wait;
    let mut before = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let e = s
            .next_event(left)
            .await
            .unwrap_or_else(|| panic!("no `{name}` within {wait:?}; got {before:?}"));
        if e.event == name {
            return (e, before);
        }
        before.push(e);
    }
}

#[tokio::test]
async fn an_earn_on_one_replica_reaches_a_stream_on_the_other_and_a_resume_gets_exactly_what_was_missed() {
    let a = spawn(opts()).await;
    let b = a.replica().await;
    let b_base = format!("http://{}", b.addr);
    let staff = a.admin_token().await;
    let (member, member_id) = a.member_token("ok-sse-1").await;

    let mut s = open(&b_base, &member, &[]).await;
    assert!(
        s.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    match s.next_item(Duration::from_secs(2)).await {
        Some(SseItem::Event(e)) => assert_eq!(e.retry, Some(3000), "the stream opens with `retry`"),
        other => panic!("expected the retry preamble, got {other:?}"),
    }

    // Caused on replica A, seen on replica B within a second.
    let started = Instant::now();
    earn(&a.base, &staff, &member_id, 40).await;
    let (earned, _) = until(&mut s, "points.earned", Duration::from_secs(5)).await;
    let took = started.elapsed();
    eprintln!("earn on replica A -> points.earned on replica B: {took:?}");
    assert!(took < Duration::from_secs(1), "fan-out took {took:?}");
    assert_eq!(earned.json()["points"], 40);
    assert_eq!(earned.json()["memberId"], member_id.as_str());
    let (created, _) = until(&mut s, "notification.created", Duration::from_secs(5)).await;
    assert_eq!(created.json()["kind"], "points.earned");
    assert_eq!(created.json()["title"], "You earned 40 points");
    let last = earned.id().max(created.id());
    drop(s);

    // Missed while away: two earns (each a points.earned and a notification.created).
    earn(&a.base, &staff, &member_id, 5).await;
    earn(&b_base, &staff, &member_id, 6).await;
    // Wait until the consumer wrote them.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut ids: Vec<i64> = Vec::new();
    while ids.len() < 4 && Instant::now() < deadline {
        ids = sql_all(
            &a.db,
            "SELECT id FROM stream_events WHERE member_id = $1 AND id > $2 ORDER BY id",
            vec![member_id.clone().into(), last.into()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<i64>("", "id").unwrap())
        .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ids.len(), 4);

    // Resume on replica A with the header: exactly the missed events, in order, then silence.
    let last_s = last.to_string();
    let mut s = open(&a.base, &member, &[("Last-Event-ID", &last_s)]).await;
    let got = s.drain(Duration::from_millis(800)).await;
    let got_ids: Vec<i64> = got.iter().map(SseEvent::id).collect();
    assert_eq!(got_ids, ids, "{got:?}");
    let names: Vec<&str> = got.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names.iter().filter(|n| **n == "points.earned").count(), 2, "{names:?}");
    assert_eq!(
        names.iter().filter(|n| **n == "notification.created").count(),
        2,
        "{names:?}"
    );

    // The same with the query parameter, from the middle.
    let mid = ids[1].to_string();
    let mut s = SseClient::open(
        &format!("{b_base}/notification/api/sse?lastEventId={mid}&locale=th"),
        Some(&member),
        &[],
    )
    .await;
    let got: Vec<i64> = s
        .drain(Duration::from_millis(800))
        .await
        .iter()
        .map(SseEvent::id)
        .collect();
    assert_eq!(got, ids[2..].to_vec());
    b.stop().await;
}

#[tokio::test]
async fn members_see_their_own_events_and_staff_see_everyones() {
    let app = spawn(opts()).await;
    let staff = app.admin_token().await;
    let (ann, ann_id) = app.member_token("ok-sse-ann").await;
    let (_, bob_id) = app.member_token("ok-sse-bob").await;

    let mut ann_stream = open(&app.base, &ann, &[]).await;
    // Staff: the token in the query, as EventSource sends it.
    let mut staff_stream = SseClient::open(
        &format!("{}/notification/api/sse?access_token={staff}", app.base),
        None,
        &[],
    )
    .await;
    assert_eq!(staff_stream.status, 200, "{}", staff_stream.error);

    earn(&app.base, &staff, &bob_id, 7).await;
    earn(&app.base, &staff, &ann_id, 8).await;
    let (e, before) = until(&mut ann_stream, "points.earned", Duration::from_secs(5)).await;
    assert_eq!(
        e.json()["memberId"],
        ann_id.as_str(),
        "Bob's earn is not on Ann's stream"
    );
    assert!(before.iter().all(|e| e.json()["memberId"] != bob_id.as_str()));

    let (first, _) = until(&mut staff_stream, "points.earned", Duration::from_secs(5)).await;
    let (second, between) = until(&mut staff_stream, "points.earned", Duration::from_secs(5)).await;
    assert_eq!(first.json()["memberId"], bob_id.as_str());
    assert_eq!(second.json()["memberId"], ann_id.as_str());
    assert!(
        between.iter().all(|e| e.event != "notification.created"),
        "members' notifications stay theirs: {between:?}"
    );
    assert!(second.id() > first.id(), "ids are monotonic");

    // A staff member needs notifications:read (every role has it); members of the public
    // do not get in without a token.
    let anon = SseClient::open(&format!("{}/notification/api/sse", app.base), None, &[]).await;
    assert_eq!(anon.status, 401);
    assert_eq!(anon.error["statusCode"], 401);
    let bad = SseClient::open(
        &format!("{}/notification/api/sse", app.base),
        Some(&ann),
        &[("Last-Event-ID", "yesterday")],
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error["data"]["errors"][0]["field"], "Last-Event-ID");
    // The query token is for the stream only.
    let elsewhere = app
        .get(&format!("/notification/api/notifications/me?access_token={ann}"), None)
        .await;
    assert_eq!(elsewhere.status, 401);
}

#[tokio::test]
async fn beyond_retention_a_resume_gets_reset_and_continues() {
    let app = spawn(
        opts()
            .var("SBM_SSE_RETENTION_SECONDS", "1")
            .var("SBM_SSE_POLL_MS", "100"),
    )
    .await;
    let staff = app.admin_token().await;
    let (member, member_id) = app.member_token("ok-sse-old").await;
    earn(&app.base, &staff, &member_id, 3).await;
    let mut s = open(&app.base, &member, &[("Last-Event-ID", "0")]).await;
    let (old, _) = until(&mut s, "points.earned", Duration::from_secs(5)).await;
    drop(s);
    // The prune job (every second here) drops it once a second has passed.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = sql_one(&app.db, "SELECT COUNT(*) AS n FROM stream_events", vec![])
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        if left == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "never pruned");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let old_id = (old.id() - 1).to_string();
    let mut s = open(&app.base, &member, &[("Last-Event-ID", &old_id)]).await;
    let reset = s.next_event(Duration::from_secs(2)).await.expect("a reset");
    assert_eq!(reset.event, "reset");
    assert!(reset.id() >= old.id());
    // It continues live from there.
    earn(&app.base, &staff, &member_id, 4).await;
    let (next, _) = until(&mut s, "points.earned", Duration::from_secs(5)).await;
    assert_eq!(next.json()["points"], 4);
    // An id never issued is a reset too.
    let mut s = open(&app.base, &member, &[("Last-Event-ID", "99999999")]).await;
    assert_eq!(s.next_event(Duration::from_secs(2)).await.unwrap().event, "reset");
}

#[tokio::test]
async fn streams_are_capped_per_caller_counted_once_by_the_limiter_heartbeat_and_are_never_compressed() {
    let app = spawn(
        opts()
            .var("SBM_SSE_MAX_CONNECTIONS_PER_PRINCIPAL", "2")
            .var("SBM_SSE_HEARTBEAT_SECONDS", "1")
            .var("SBM_RATE_LIMIT_TOKEN_PER_HOUR", "50"),
    )
    .await;
    let staff = app.admin_token().await;
    let (member, member_id) = app.member_token("ok-sse-cap").await;
    let first = open(&app.base, &member, &[("Accept-Encoding", "gzip, br")]).await;
    assert!(first.headers.get("content-encoding").is_none(), "never compressed");
    assert_eq!(first.headers["x-accel-buffering"], "no");
    let used_after_connect: i64 = first.headers["x-ratelimit-remaining"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut second = open(&app.base, &member, &[]).await;
    let third = SseClient::open(&format!("{}/notification/api/sse", app.base), Some(&member), &[]).await;
    assert_eq!(third.status, 429);
    assert!(
        third.error["data"]["message"].as_str().unwrap().contains("at most 2"),
        "{}",
        third.error
    );
    drop(first);
    // The slot is free again once the first stream is gone.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut attempts = 0;
    let third = loop {
        let s = SseClient::open(&format!("{}/notification/api/sse", app.base), Some(&member), &[]).await;
        attempts += 1;
        if s.status == 200 || Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(third.status, 200);

    // A heartbeat comment arrives every second here (15 s by default).
    let mut beat = false;
    let deadline = Instant::now() + Duration::from_secs(4);
    while Instant::now() < deadline {
        if let Some(SseItem::Comment(c)) = second.next_item(Duration::from_secs(3)).await {
            assert_eq!(c, "heartbeat");
            beat = true;
            break;
        }
    }
    assert!(beat, "no heartbeat");

    // Events on an open stream do not count against the rate limit: only connects do.
    for p in 1..=5 {
        earn(&app.base, &staff, &member_id, p).await;
    }
    let mut seen = 0;
    while seen < 5 {
        let (_, _) = until(&mut second, "points.earned", Duration::from_secs(5)).await;
        seen += 1;
    }
    let r = app
        .get("/notification/api/notifications/me/unread-count", Some(&member))
        .await;
    let remaining: i64 = r.header("x-ratelimit-remaining").unwrap().parse().unwrap();
    // Since the first connect: the second, the refused one, the attempts after it, and this
    // GET; never the events the open streams carried.
    assert_eq!(used_after_connect - remaining, 2 + attempts + 1);
}

#[tokio::test]
async fn shutdown_ends_open_streams_promptly() {
    let mut app = spawn(opts()).await;
    let (member, _) = app.member_token("ok-sse-bye").await;
    let mut s = open(&app.base, &member, &[]).await;
    assert!(s.next_item(Duration::from_secs(2)).await.is_some());
    let running = app.running.take().unwrap();
    let started = Instant::now();
    let stop = tokio::spawn(running.stop());
    loop {
        match s.next_item(Duration::from_secs(5)).await {
            Some(SseItem::End) => break,
            Some(_) => continue,
            None => panic!("the stream stayed open after shutdown"),
        }
    }
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    tokio::time::timeout(Duration::from_secs(5), stop)
        .await
        .expect("the server stops while a stream was open")
        .unwrap();
}

#[tokio::test]
async fn a_stream_ends_when_its_session_does() {
    let app = spawn(
        opts()
            .var("SBM_SSE_HEARTBEAT_SECONDS", "1")
            .var("SBM_SESSION_CHECK_SECONDS", "1"),
    )
    .await;
    let (member, _) = app.member_token("ok-sse-logout").await;
    let mut s = open(&app.base, &member, &[]).await;
    // Still open after a few checks.
    assert!(s.drain(Duration::from_millis(2500)).await.is_empty());
    app.post("/auth/api/logout", Some(&member), json!({})).await.expect(200);
    let started = Instant::now();
    loop {
        match s.next_item(Duration::from_secs(8)).await {
            Some(SseItem::End) => break,
            Some(_) => continue,
            None => panic!("the stream outlived its session"),
        }
    }
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}
