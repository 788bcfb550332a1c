// The client's own machinery with a scripted `fetch` in place of the network: what the real
// server cannot be made to do on cue (a 429 then a success, a stream cut mid-way, a 503).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';

import { SbmClient, ServerError } from '../dist/esm/index.js';

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A fetch answering from a list, recording every request it gets. */
function scripted(...answers) {
  const requests = [];
  const fetch = async (request) => {
    requests.push(request);
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    return typeof next === 'function' ? next(request) : next;
  };
  return { fetch, requests };
}

const booking = { statusCode: 201, data: { points: 5, balance: 5, duplicate: false, transaction: null } };
const limited = () => json(429, { statusCode: 429, data: { message: 'slow down', errors: [] } }, { 'retry-after': '0' });

describe('the client, scripted', { timeout: 30_000 }, () => {
  test('a 429 retried keeps the generated Idempotency-Key', async () => {
    const { fetch, requests } = scripted(limited(), json(201, booking));
    const client = new SbmClient({ baseUrl: 'http://sbm.test', apiKey: 'sbmk_test', fetch });
    const answer = await client.point.transactionsEarn({ body: { memberId: 'm-1', points: 5 } });
    assert.equal(answer.balance, 5);
    assert.equal(requests.length, 2);
    const [first, second] = requests.map((r) => r.headers.get('idempotency-key'));
    assert.match(first, /^[0-9a-f-]{36}$/);
    assert.equal(second, first);
    assert.equal(requests[1].headers.get('x-api-key'), 'sbmk_test');
  });

  test("the caller's key survives in any HeadersInit form", async () => {
    for (const headers of [new Headers({ 'Idempotency-Key': 'mine-1' }), [['Idempotency-Key', 'mine-1']], { 'idempotency-key': 'mine-1' }]) {
      const { fetch, requests } = scripted(json(201, booking));
      const client = new SbmClient({ baseUrl: 'http://sbm.test', apiKey: 'sbmk_test', fetch });
      await client.point.transactionsEarn({ body: { memberId: 'm-1', points: 5 }, headers });
      assert.equal(requests[0].headers.get('idempotency-key'), 'mine-1');
    }
  });

  test('a refresh does not use up a 429 retry', async () => {
    const refreshed = { statusCode: 200, data: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900, tokenType: 'Bearer' } };
    const { fetch, requests } = scripted(
      json(401, { statusCode: 401, data: { message: 'expired', errors: [] } }),
      json(200, refreshed),
      limited(),
      limited(),
      json(200, { statusCode: 200, data: { memberId: 'm-1', balance: 3, pending: 0, lifetimeEarned: 3, lifetimeSpent: 0, lifetimeExpired: 0, expiringLots: [] } }),
    );
    const client = new SbmClient({ baseUrl: 'http://sbm.test', accessToken: 'old', refreshToken: 'r-1', fetch, maxRetries: 2 });
    assert.equal((await client.point.balanceGet({ path: { memberId: 'm-1' } })).balance, 3);
    assert.equal(requests[1].headers.get('authorization'), null, 'the refresh is sent without the expired bearer');
    assert.equal(requests.at(-1).headers.get('authorization'), 'Bearer new-access');
  });

  test('a logged client shows no credential', () => {
    const client = new SbmClient({ baseUrl: 'http://sbm.test', apiKey: 'sbmk_secret', accessToken: 'token-secret', refreshToken: 'refresh-secret' });
    const shown = inspect(client, { depth: 5 });
    for (const secret of ['sbmk_secret', 'token-secret', 'refresh-secret']) assert.ok(!shown.includes(secret), shown);
  });
});

/** A text/event-stream body that sends `text`, then ends (or, with `hold`, stays open). */
function eventStream(text, { hold = false, onCancel } = {}) {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      if (!hold) controller.close();
    },
    cancel() {
      onCancel?.();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

describe('the stream, scripted', { timeout: 30_000 }, () => {
  test('a cut stream reconnects with Last-Event-ID, also after a 503', async () => {
    const unavailable = json(503, { statusCode: 503, data: { message: 'draining', errors: [] } });
    const { fetch, requests } = scripted(
      eventStream('retry: 10\n\nid: 41\nevent: points.earned\ndata: {"points":1}\n\n: heartbeat\n\n'),
      unavailable,
      eventStream('id: 42\nevent: points.spent\ndata: {"points":2}\n\n', { hold: true }),
    );
    const client = new SbmClient({ baseUrl: 'http://sbm.test', accessToken: 'a', fetch });
    const seen = [];
    for await (const event of client.notification.stream()) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    assert.deepEqual(
      seen.map((e) => [e.id, e.event, e.data.points]),
      [
        ['41', 'points.earned', 1],
        ['42', 'points.spent', 2],
      ],
    );
    assert.equal(requests[0].headers.get('last-event-id'), null);
    assert.equal(requests[1].headers.get('last-event-id'), '41');
    assert.equal(requests[2].headers.get('last-event-id'), '41');
    assert.equal(requests[0].headers.get('authorization'), 'Bearer a');
  });

  test('leaving the loop closes the connection', async () => {
    let cancelled = false;
    const { fetch } = scripted(eventStream('id: 1\nevent: x\ndata: {}\n\n', { hold: true, onCancel: () => (cancelled = true) }));
    const client = new SbmClient({ baseUrl: 'http://sbm.test', accessToken: 'a', fetch });
    for await (const event of client.notification.stream()) {
      assert.equal(event.id, '1');
      break;
    }
    assert.ok(cancelled);
  });

  test('a 5xx is retried up to maxReconnects, then thrown', async () => {
    const down = () => json(502, { statusCode: 502, data: { message: 'bad gateway', errors: [] } });
    const { fetch, requests } = scripted(down(), down());
    const client = new SbmClient({ baseUrl: 'http://sbm.test', accessToken: 'a', fetch });
    const stream = client.notification.stream({ maxReconnects: 1, lastEventId: '7' });
    await assert.rejects(stream.next(), ServerError);
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.get('last-event-id'), '7');
  });
});
