// Test support: a real HTTP receiver for webhook POSTs that keeps each request's raw body and
// headers, and answers from a script (status codes, dropped connections, or silence).
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  json: unknown;
  /** The answer this request got. */
  answer: Answer;
}

export type Answer = number | 'drop' | 'hang';

export interface WebhookReceiver {
  url: string;
  received: ReceivedPost[];
  /** Answers for the next requests, in order; after the script runs out every request gets 200. */
  script(...answers: Answer[]): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPost[]>;
  close(): Promise<void>;
}

export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: ReceivedPost[] = [];
  let answers: Answer[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const answer = answers.shift() ?? 200;
      received.push({ headers: req.headers, rawBody, json: JSON.parse(rawBody), answer });
      if (answer === 'drop') return void req.socket.destroy();
      if (answer === 'hang') return;
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/qbo`,
    received,
    script: (...next) => {
      answers = next;
    },
    waitFor: async (count, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook POSTs, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** How a receiver checks `intuit-signature` (Intuit's documented algorithm, written independently of the sandbox). */
export const signatureIsValid = (rawBody: string, signature: string | string[] | undefined, verifierToken: string) => {
  if (typeof signature !== 'string') return false;
  const expected = createHmac('sha256', verifierToken).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
};
