// The loyalty journey through the SDK alone, against the real sbm-crm binary (embedded SQLite)
// that ../../testserver.py starts. Run with `npm test` (builds first).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { createInterface } from 'node:readline';

import { Conflict, NotFound, RateLimited, SbmClient, SbmError, Unprocessable } from '../dist/esm/index.js';

let server;
let platform;
const staff = () => new SbmClient({ baseUrl: platform.baseUrl });

before(async () => {
  server = spawn('python3', [new URL('../../testserver.py', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout });
  platform = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`testserver exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
});

after(() => {
  server?.stdin.end();
});

async function admin() {
  const client = staff();
  await client.login(platform.adminEmail, platform.adminPassword);
  return client;
}

async function enrolledMember(client, firstName = 'Ann') {
  return client.auth.membersEnrol({
    body: { firstName, lastName: 'Lee', email: `${randomUUID()}@example.com` },
  });
}

async function eventually(read, accept, what) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a loyalty journey through the SDK', { timeout: 60_000 }, () => {
  test('staff login, an API key, a member enrolled, points earned and spent', async () => {
    const tokens = [];
    const client = new SbmClient({ baseUrl: platform.baseUrl, onTokens: (t) => tokens.push(t) });
    const pair = await client.login(platform.adminEmail, platform.adminPassword);
    assert.match(pair.accessToken, /^ey/);
    assert.equal(tokens.length, 1);

    const key = await client.auth.apiKeysCreate({
      body: { name: 'POS', scopes: ['members:read', 'members:write', 'points:read', 'points:write'], plan: 'standard' },
    });
    assert.match(key.key, /^sbmk_/);
    assert.ok(key.createdAt instanceof Date, 'dates are parsed');

    const pos = new SbmClient({ baseUrl: platform.baseUrl, apiKey: key.key });
    const member = await enrolledMember(pos);
    assert.equal(member.firstName, 'Ann');
    const earned = await pos.point.transactionsEarn({
      body: { memberId: member.id, points: 50, source: 'pos', externalId: 'o-1', reason: 'test' },
    });
    assert.equal(earned.transaction.balanceAfter, 50);
    const spent = await pos.point.transactionsSpend({ body: { memberId: member.id, points: 15, reason: 'Coffee' } });
    assert.equal(spent.transaction.balanceAfter, 35);
    const balance = await pos.point.balanceGet({ path: { memberId: member.id } });
    assert.equal(balance.balance, 35);
    assert.equal(balance.lifetimeSpent, 15);

    assert.equal(pos.rateLimit.limit, 1000, 'the standard plan');
    assert.ok(pos.rateLimit.remaining < 1000);
    assert.ok(pos.rateLimit.reset > Date.now() / 1000 - 5);
  });

  test('the ledger, every page of it', async () => {
    const client = await admin();
    const member = await enrolledMember(client);
    for (let i = 1; i <= 5; i++) {
      await client.point.transactionsEarn({ body: { memberId: member.id, points: i, externalId: `page-${i}` } });
    }
    const first = await client.point.transactionsList({ query: { memberId: member.id, limit: 2 } });
    assert.deepEqual(
      { total: first.meta.total, totalPages: first.meta.totalPages, items: first.data.length },
      { total: 5, totalPages: 3, items: 2 },
    );
    const seen = [];
    for await (const tx of client.paginate(client.point.transactionsList, {
      query: { memberId: member.id, limit: 2, sortBy: 'createdAt', sortOrder: 'asc' },
    })) {
      assert.ok(tx.createdAt instanceof Date);
      seen.push(tx.externalId);
    }
    assert.deepEqual(seen, ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
  });

  test('a tier, and the member projected into it', async () => {
    const client = await admin();
    await client.cluster.tiersCreate({
      body: {
        code: 'base',
        name_en: 'Base',
        rank: 0,
        isDefault: true,
        qualification: { metric: 'points_earned', threshold: 0, window: 'lifetime' },
      },
    });
    const silver = await client.cluster.tiersCreate({
      body: { code: 'silver', name_en: 'Silver', rank: 1, qualification: { metric: 'points_earned', threshold: 100, window: 'lifetime' } },
    });
    assert.equal(silver.code, 'silver');
    const member = await enrolledMember(client);
    await client.point.transactionsEarn({ body: { memberId: member.id, points: 120 } });
    const projection = await eventually(
      () => client.cluster.tierProjectionsGet({ path: { memberId: member.id } }),
      (p) => p.currentTier?.code === 'silver',
      'the member should reach silver',
    );
    assert.equal(projection.currentTier.id, silver.id);
    assert.ok(projection.since instanceof Date);
    assert.equal(projection.qualifying.metric, 'points_earned');
    assert.ok(projection.qualifying.value >= 120);
    assert.ok(projection.qualifying.to instanceof Date, 'dates inside nested objects are parsed too');
  });

  test('a reward redeemed, then cancelled: the points come back', async () => {
    const client = await admin();
    const member = await enrolledMember(client);
    await client.point.transactionsEarn({ body: { memberId: member.id, points: 40 } });
    const catalog = await client.reward.rewardCatalogsCreate({ body: { code: `cat-${randomUUID().slice(0, 8)}`, name_en: 'Everyday' } });
    const reward = await client.reward.rewardsCreate({
      body: { code: `latte-${randomUUID().slice(0, 8)}`, catalogId: catalog.id, type: 'voucher', name_en: 'A latte', pointsCost: 10, stockTotal: 100 },
    });
    const redemption = await client.reward.redemptionsCreate({ body: { rewardId: reward.id, memberId: member.id } });
    assert.equal(redemption.status, 'claimed');
    assert.equal((await client.point.balanceGet({ path: { memberId: member.id } })).balance, 30);
    const cancelled = await client.reward.redemptionsCancel({ path: { id: redemption.id }, body: { reason: 'changed my mind' } });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await client.point.balanceGet({ path: { memberId: member.id } })).balance, 40);
  });

  test('the real-time stream: an earn arrives, and a reconnect resumes after the last id', async () => {
    const client = await admin();
    const member = await enrolledMember(client);
    const abort = new AbortController();
    const events = client.notification.stream({ signal: abort.signal });
    const first = events.next();
    // The stream is open once the server answered; give it a moment, then earn.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.point.transactionsEarn({ body: { memberId: member.id, points: 7 } });
    let event = (await first).value;
    while (!(event.event === 'points.earned' && event.data.memberId === member.id)) {
      event = (await events.next()).value;
    }
    assert.equal(event.data.points, 7);
    abort.abort();

    // Missed while away: a second earn, replayed after the first's id.
    await client.point.transactionsEarn({ body: { memberId: member.id, points: 8 } });
    const again = new AbortController();
    const resumed = client.notification.stream({ lastEventId: event.id, signal: again.signal });
    let next = (await resumed.next()).value;
    while (!(next.event === 'points.earned' && next.data.memberId === member.id)) {
      next = (await resumed.next()).value;
    }
    assert.equal(next.data.points, 8);
    assert.ok(Number(next.id) > Number(event.id));
    again.abort();
  });

  test('a member uploads a receipt (multipart)', async () => {
    const member = staff();
    const session = await member.wechatLogin(`sdk-js-${randomUUID()}`);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
    const receipt = await member.point.receiptsSubmit({
      body: {
        image: new Blob([jpeg], { type: 'image/jpeg' }),
        receiptNumber: `R-${randomUUID().slice(0, 8)}`,
        storeId: 'BKK-01',
        amount: 120000,
        purchasedAt: '2026-11-30T10:00:00Z',
      },
    });
    assert.equal(receipt.status, 'pending');
    assert.equal(receipt.memberId, session.member.id);
    assert.equal(receipt.imageContentType, 'image/jpeg');
    assert.ok(receipt.purchasedAt instanceof Date);
  });
});

describe('failures', { timeout: 60_000 }, () => {
  test('422, 404 and 409 are typed errors with the envelope', async () => {
    const client = await admin();
    const member = await enrolledMember(client);
    await client.point.transactionsEarn({ body: { memberId: member.id, points: 10 } });
    await assert.rejects(
      client.point.transactionsSpend({ body: { memberId: member.id, points: 999 } }),
      (error) => {
        assert.ok(error instanceof Unprocessable && error instanceof SbmError);
        assert.equal(error.statusCode, 422);
        assert.match(error.message, /Insufficient points/);
        assert.equal(error.errors[0].field, 'points');
        return true;
      },
    );
    await assert.rejects(client.point.balanceGet({ path: { memberId: randomUUID() } }), (error) => {
      assert.ok(error instanceof NotFound);
      assert.equal(error.statusCode, 404);
      assert.equal(error.message, 'Member not found');
      return true;
    });
    assert.equal((await client.point.balanceGet({ path: { memberId: member.id } })).balance, 10, 'the refused spend took nothing');
    const code = `dup-${randomUUID().slice(0, 8)}`;
    await client.reward.rewardCatalogsCreate({ body: { code, name_en: 'Once' } });
    await assert.rejects(client.reward.rewardCatalogsCreate({ body: { code, name_en: 'Twice' } }), (error) => {
      assert.ok(error instanceof Conflict);
      assert.equal(error.message, 'code is already used by another catalog', 'a conflict says why');
      assert.deepEqual(error.errors.map((e) => e.field), ['code']);
      return true;
    });
  });

  test('a 429 is waited out and retried', async () => {
    const client = await admin();
    const key = await client.auth.apiKeysCreate({
      body: { name: 'burst', scopes: ['points:read'], plan: 'enterprise', rateLimitPerHour: 1800 },
    });
    // Spend the key's hourly quota (a burst of 1,800) with plain requests.
    const url = `${platform.baseUrl}/point/api/balance/${randomUUID()}`;
    let limited = false;
    while (!limited) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => fetch(url, { headers: { 'X-API-Key': key.key } }).then(async (r) => (await r.arrayBuffer(), r.status))),
      );
      limited = batch.includes(429);
    }

    const impatient = new SbmClient({ baseUrl: platform.baseUrl, apiKey: key.key, maxRetries: 0 });
    await assert.rejects(impatient.point.balanceGet({ path: { memberId: randomUUID() } }), (error) => {
      assert.ok(error instanceof RateLimited);
      assert.ok(error.retryAfter > 0);
      assert.equal(error.rateLimit.remaining, 0);
      return true;
    });

    const statuses = [];
    const patient = new SbmClient({ baseUrl: platform.baseUrl, apiKey: key.key, onResponse: (_, r) => statuses.push(r.status) });
    const started = Date.now();
    await assert.rejects(patient.point.balanceGet({ path: { memberId: randomUUID() } }), NotFound);
    assert.equal(statuses[0], 429);
    assert.equal(statuses.at(-1), 404, 'the retry got through to the handler');
    assert.ok(Date.now() - started >= 400, `it waited for Retry-After (${Date.now() - started} ms)`);
  });

  test('an expired access token is refreshed once and the call goes through', async () => {
    const login = await admin();
    const seen = [];
    const client = new SbmClient({
      baseUrl: platform.baseUrl,
      accessToken: 'eyJhbGciOiJFZERTQSJ9.eyJleHAiOjF9.expired',
      refreshToken: login.tokens.refreshToken,
      onTokens: (t) => seen.push(t),
    });
    const me = await client.auth.staffMe();
    assert.equal(me.email, platform.adminEmail);
    assert.equal(seen.length, 1);
    assert.notEqual(seen[0].refreshToken, login.tokens.refreshToken, 'refresh tokens rotate');
    assert.equal(client.tokens.accessToken, seen[0].accessToken);
  });

  test('concurrent calls after expiry refresh once (refresh tokens rotate)', async () => {
    const login = await admin();
    const seen = [];
    const client = new SbmClient({
      baseUrl: platform.baseUrl,
      accessToken: 'eyJhbGciOiJFZERTQSJ9.eyJleHAiOjF9.expired',
      refreshToken: login.tokens.refreshToken,
      onTokens: (t) => seen.push(t),
    });
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.auth.staffMe()));
    assert.deepEqual(answers.map((me) => me.email), Array(5).fill(platform.adminEmail));
    assert.equal(seen.length, 1, 'one exchange: a second would present a used token and end the session');
    assert.equal((await client.auth.staffMe()).email, platform.adminEmail, 'the session is still alive');
  });

  test('an earn retried with its Idempotency-Key earns once; keys are generated', async () => {
    const sent = [];
    const client = new SbmClient({ baseUrl: platform.baseUrl, onResponse: (request) => sent.push(request) });
    await client.login(platform.adminEmail, platform.adminPassword);
    const member = await enrolledMember(client);
    const key = `earn-${randomUUID()}`;
    const body = { memberId: member.id, points: 25, reason: 'retried' };
    const first = await client.point.transactionsEarn({ body, headers: { 'Idempotency-Key': key } });
    const second = await client.point.transactionsEarn({ body, headers: { 'Idempotency-Key': key } });
    assert.equal(second.transaction.id, first.transaction.id);
    assert.equal((await client.point.balanceGet({ path: { memberId: member.id } })).balance, 25);

    await client.point.transactionsEarn({ body: { memberId: member.id, points: 1 } });
    const generated = sent.at(-1).headers.get('idempotency-key');
    assert.match(generated, /^[0-9a-f-]{36}$/);
    const enrol = sent.find((r) => r.method === 'POST' && r.url.endsWith('/auth/api/members'));
    assert.ok(enrol.headers.get('idempotency-key'), 'enrolment carries a key too');
    const read = sent.find((r) => r.method === 'GET');
    assert.equal(read.headers.get('idempotency-key'), null, 'reads carry none');
  });
});

test('the CommonJS build loads', () => {
  const require = createRequire(import.meta.url);
  const sdk = require('../dist/cjs/index.js');
  assert.equal(typeof sdk.SbmClient, 'function');
  assert.ok(new sdk.NotFound(404, 'x') instanceof sdk.SbmError);
});
