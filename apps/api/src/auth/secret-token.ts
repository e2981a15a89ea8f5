// Random secrets (session tokens, CSRF tokens, API key secrets) and the hashes kept of them. These secrets
// carry 256 bits of entropy, so a plain SHA-256 is enough to make a stolen table useless.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};
