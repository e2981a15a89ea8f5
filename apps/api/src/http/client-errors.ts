// What Node's HTTP server answers before Express sees a request it cannot parse (a URL or headers over the
// 16 KiB limit, a malformed request line): by default an empty 431 or 400, which says nothing. Here the
// same statuses carry a problem naming the reason, and the connection closes.

import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const answer = (status: number, reason: string, slug: string, title: string, detail: string, field: string): string => {
  const body = JSON.stringify({ type: `https://qbo-sync.dev/problems/${slug}`, title, status, detail, field });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: application/problem+json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
};

export const answerClientErrors = (server: Server): void => {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      socket.end(answer(431, 'Request Header Fields Too Large', 'headers-too-large', 'Request too large', 'url: the URL and headers together are larger than 16 KiB; send long values in a body', 'url'));
      return;
    }
    socket.end(answer(400, 'Bad Request', 'malformed-request', 'Malformed request', 'request: the HTTP request could not be parsed', 'request'));
  });
};
