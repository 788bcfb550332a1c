// Compiled (not run) by `npm test`: the public types say what the operations answer.
import { SbmClient, type point } from '../src/index.js';

declare const client: SbmClient;

export async function typed(memberId: string) {
  const earned = await client.point.transactionsEarn({ body: { memberId, points: 10 } });
  const after: number = earned.balance;
  // null when the rules gave no points
  const created: Date | undefined = earned.transaction?.createdAt;
  const balance: point.BalanceView = await client.point.balanceGet({ path: { memberId } });
  for await (const tx of client.paginate(client.point.transactionsList, { query: { memberId } })) {
    const id: string = tx.id;
    void id;
  }
  // @ts-expect-error: an unknown field of the request body
  await client.point.transactionsSpend({ body: { memberId, points: 1, nope: true } });
  return { after, created, balance };
}
