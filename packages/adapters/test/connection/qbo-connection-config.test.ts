// Where QuickBooks is: the sandbox by default, Intuit when all four QBO_* variables are set, and a clear
// error naming what is missing when only some are.

import OAuthClient from 'intuit-oauth';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '@qbo-sync/adapters/config';
import { configureIntuitOAuth, loadQboConnectionConfig } from '@qbo-sync/adapters/intuit-oauth';

const saved = { token: OAuthClient.tokenEndpoint, authorize: OAuthClient.authorizeEndpoint, environment: { ...OAuthClient.environment }, retry: { ...OAuthClient.retryConfig } };

describe('QBO connection configuration', () => {
  afterAll(() => {
    Object.assign(OAuthClient, { tokenEndpoint: saved.token, authorizeEndpoint: saved.authorize, environment: saved.environment, retryConfig: saved.retry });
  });

  it('talks to the local sandbox when no Intuit app is configured', () => {
    const config = loadQboConnectionConfig({});
    expect(config).toMatchObject({
      target: 'sandbox',
      clientId: 'sandbox-client-id',
      accountingBaseUrl: 'http://127.0.0.1:4010',
      minorVersion: 75,
      throttleWaitMs: 60_000,
      oauth: { token: 'http://127.0.0.1:4010/oauth2/v1/tokens/bearer', authorize: 'http://127.0.0.1:4010/connect/oauth2' },
    });
  });

  it('talks to Intuit, unchanged code, when the four QBO_* variables are set', () => {
    const config = loadQboConnectionConfig({
      QBO_CLIENT_ID: 'ABc123',
      QBO_CLIENT_SECRET: 'shh-secret',
      QBO_REDIRECT_URI: 'https://sync.example.com/v1/connection/callback',
      QBO_ENVIRONMENT: 'production',
    });
    expect(config).toMatchObject({
      target: 'intuit',
      accountingBaseUrl: 'https://quickbooks.api.intuit.com',
      oauth: { token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer', authorize: 'https://appcenter.intuit.com/connect/oauth2' },
    });
    configureIntuitOAuth(config);
    expect(OAuthClient.tokenEndpoint).toBe('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer');
    expect(OAuthClient.environment.production).toBe('https://quickbooks.api.intuit.com/');
    expect(OAuthClient.retryConfig.maxRetries).toBe(0);
    expect(loadQboConnectionConfig({ QBO_CLIENT_ID: 'a', QBO_CLIENT_SECRET: 'b', QBO_REDIRECT_URI: 'https://x.example/cb', QBO_ENVIRONMENT: 'sandbox' }).accountingBaseUrl).toBe(
      'https://sandbox-quickbooks.api.intuit.com',
    );
  });

  it('names every missing variable, and never echoes the secret', () => {
    const attempt = () => loadQboConnectionConfig({ QBO_CLIENT_ID: 'ABc123', QBO_ENVIRONMENT: 'staging', QBO_CLIENT_SECRET: 'shh-secret' });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/QBO_ENVIRONMENT: must be sandbox or production/);
    const missing = (() => {
      try {
        loadQboConnectionConfig({ QBO_CLIENT_ID: 'ABc123' });
        return null;
      } catch (error) {
        return (error as ConfigurationError).problems.map((p) => p.variable);
      }
    })();
    expect(missing).toEqual(['QBO_CLIENT_SECRET', 'QBO_REDIRECT_URI', 'QBO_ENVIRONMENT']);
    expect(() => loadQboConnectionConfig({ QBO_CLIENT_SECRET: 'shh-secret' })).toThrow(/QBO_CLIENT_ID: is required/);
    expect(() => loadQboConnectionConfig({ QBO_CLIENT_SECRET: 'shh-secret' })).not.toThrow(/shh/);
  });
});
