// One webhook POST over node:http(s), on a fresh connection each time so stopping the sandbox never
// waits on a pooled socket, with the receiver's time limit enforced.
import http from 'node:http';
import https from 'node:https';

export type SendResult = { status: number; error?: undefined } | { status: null; error: string };

export const postWebhook = (
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> =>
  new Promise((resolve) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = transport.request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': Buffer.byteLength(body).toString(), connection: 'close' },
      },
      (response) => {
        // Drain so the socket closes; the body of the receiver's answer does not matter to Intuit.
        response.resume();
        response.on('end', () => finish({ status: response.statusCode ?? 0 }));
        response.on('error', (err) => finish({ status: null, error: err.message }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: null, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => finish({ status: null, error: err.code ?? err.message }));
    request.end(body);
  });
