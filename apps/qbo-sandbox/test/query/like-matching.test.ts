// LIKE as QBO has it (`%` only, case-insensitive), matched in linear time: a hostile name of quotes,
// backslashes and `%` (500 characters, about 80 wildcards) used to turn into a backtracking regular
// expression that took minutes and stalled the company; it answers well within two seconds now.

import { describe, expect, it } from 'vitest';
import { likeMatches } from '../../src/query/query-executor.js';
import { startSandbox } from '../../src/index.js';

describe('LIKE', () => {
  it('matches prefixes, suffixes, middles and whole values, ignoring case', () => {
    expect(likeMatches('Ada%', 'ada lovelace')).toBe(true);
    expect(likeMatches('%lace', 'Ada Lovelace')).toBe(true);
    expect(likeMatches('%LOVE%', 'Ada Lovelace')).toBe(true);
    expect(likeMatches('a%a%e', 'Ada Lovelace')).toBe(true);
    expect(likeMatches('Ada Lovelace', 'ada lovelace')).toBe(true);
    expect(likeMatches('Ada', 'Ada Lovelace')).toBe(false);
    expect(likeMatches('%x%', 'Ada Lovelace')).toBe(false);
    expect(likeMatches('ab%ba', 'aba')).toBe(false);
    expect(likeMatches('%', '')).toBe(true);
    expect(likeMatches('a.*b%', 'a.*bc')).toBe(true);
    expect(likeMatches('a.*b%', 'axxb')).toBe(false);
  });

  it('answers a 500-character pattern of about 80 wildcards within two seconds', async () => {
    const sandbox = await startSandbox({ port: 0, limits: false, seed: { customers: 0, vendors: 0, items: 0, invoices: 0 } });
    try {
      const realmId = sandbox.realms()[0] as string;
      const token = sandbox.oauthServer.mintTokens({ realmId }).access_token;
      const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
        fetch(`${sandbox.url}/v3/company/${realmId}${path}?minorversion=75`, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': typeof body === 'string' ? 'application/text' : 'application/json' },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
      const unit = `a'b\\\\c%d"`;
      const name = unit.repeat(50).replace(/%/g, 'x').slice(0, 500);
      for (let n = 0; n < 20; n += 1) {
        const created = await call('POST', '/customer', { DisplayName: `${name.slice(0, 480)} ${n}` });
        expect(created.status, await created.clone().text()).toBe(200);
      }
      // As the service's lookup writes it: what QBO's lexer cannot take (backslashes, double quotes) becomes %,
      // apostrophes are escaped; the pattern ends in a letter no name has, so every split is tried.
      const hostile = `%${unit.repeat(50)}`.slice(0, 499).replace(/[\\"]/g, '%').replace(/'/g, "\\'") + 'z';
      const started = performance.now();
      const answer = await call('POST', '/query', `SELECT * FROM Customer WHERE DisplayName LIKE '${hostile}'`);
      const seconds = (performance.now() - started) / 1000;
      expect(answer.status, await answer.clone().text()).toBe(200);
      expect((hostile.match(/%/g) ?? []).length).toBeGreaterThanOrEqual(50);
      expect(seconds).toBeLessThan(2);
    } finally {
      await sandbox.close();
    }
  });
});
