// 429 ThrottleExceeded. Every real throttle body on record is XML even for JSON clients, so XML is
// the default; JSON (same fields, Fault envelope) can be chosen.

import { pacificMillis } from '../time/pacific-time.js';

export type ThrottleBodyFormat = 'xml' | 'json';

const MESSAGE = 'message=ThrottleExceeded; errorCode=003001; statusCode=429';
const DETAIL = 'The request limit was reached.  Try again later';

export const throttleBody = (format: ThrottleBodyFormat, at: Date): { contentType: string; body: string } =>
  format === 'xml'
    ? {
        contentType: 'application/xml',
        body:
          `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
          `<IntuitResponse time="${pacificMillis(at)}" xmlns="http://schema.intuit.com/finance/v3">\n` +
          `  <Fault type="SERVICE">\n    <Error code="3001">\n      <Message>${MESSAGE}</Message>\n      <Detail>${DETAIL}</Detail>\n    </Error>\n  </Fault>\n</IntuitResponse>\n`,
      }
    : {
        contentType: 'application/json',
        body: JSON.stringify({
          Fault: { Error: [{ Message: MESSAGE, Detail: DETAIL, code: '3001' }], type: 'SERVICE' },
          time: pacificMillis(at),
        }),
      };
