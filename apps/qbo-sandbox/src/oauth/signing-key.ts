// The RSA key the sandbox signs id_tokens with, published as a JWKS so intuit-oauth's validateIdToken
// can find it by kid. The key is exported in snapshots so tokens stay verifiable across restarts.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: { kty: 'RSA'; kid: string; use: 'sig'; alg: 'RS256'; n: string; e: string };
}

const fromPrivateKey = (privateKey: KeyObject): SigningKey => {
  const exported = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof exported.n !== 'string' || typeof exported.e !== 'string')
    throw new Error('RSA public key has no modulus');
  // A kid derived from the key keeps it stable across save/load without storing it separately.
  const kid = createHash('sha256').update(exported.n).digest('base64url').slice(0, 16);
  return { kid, privateKey, jwk: { kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: exported.n, e: exported.e } };
};

export const generateSigningKey = (): SigningKey =>
  fromPrivateKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

export const signingKeyFromPem = (pem: string): SigningKey => fromPrivateKey(createPrivateKey(pem));

export const signingKeyToPem = (key: SigningKey): string =>
  key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const signJwt = (key: SigningKey, claims: Record<string, unknown>): string => {
  const signingInput = `${b64url({ alg: 'RS256', kid: key.kid, typ: 'JWT' })}.${b64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
};
