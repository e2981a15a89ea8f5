// The first admin. With ADMIN_EMAIL and ADMIN_PASSWORD set, that account is created on first start; with
// neither (or no password), a random one-time password is generated and printed once to the console, never
// to the structured log. Nothing happens once any user exists, so restarts never reset a password.

import type { Env } from '@qbo-sync/adapters/config';
import { ConfigurationError } from '@qbo-sync/adapters/config';
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH, hashPassword } from './password-hash.js';
import { randomSecret } from './secret-token.js';
import type { UserStore } from './user-store.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

export type BootstrapOutcome = { readonly created: false } | { readonly created: true; readonly email: string; readonly generatedPassword: boolean };

export const bootstrapAdmin = async (deps: { users: UserStore; env: Env; print?: (text: string) => void }): Promise<BootstrapOutcome> => {
  const envEmail = deps.env.ADMIN_EMAIL?.trim();
  const envPassword = deps.env.ADMIN_PASSWORD;
  if (envEmail !== undefined && envEmail !== '' && !z.email().safeParse(envEmail).success) {
    throw new ConfigurationError([{ variable: 'ADMIN_EMAIL', message: 'must be an email address' }]);
  }
  if (envPassword !== undefined && envPassword !== '' && envPassword.length < MIN_PASSWORD_LENGTH) {
    throw new ConfigurationError([{ variable: 'ADMIN_PASSWORD', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
  }
  if ((await deps.users.count()) > 0) return { created: false };

  const email = envEmail !== undefined && envEmail !== '' ? envEmail.toLowerCase() : DEFAULT_ADMIN_EMAIL;
  const generated = envPassword === undefined || envPassword === '';
  const password = generated ? randomSecret(18) : envPassword;
  const user = await deps.users.create({ email, name: 'Administrator', role: 'admin', tenants: [], passwordHash: await hashPassword(password) });
  // Another api process won the race: its console has the password.
  if (user === null) return { created: false };
  if (generated) {
    const print = deps.print ?? ((text: string) => process.stdout.write(text));
    const width = 66;
    const row = (text: string) => `  │ ${text.padEnd(width - 1)}│`;
    print(
      [
        '',
        `  ┌${'─'.repeat(width)}┐`,
        row('qbo-sync: first start. Sign in to the admin app with:'),
        row(`  email:    ${email}`),
        row(`  password: ${password}`),
        row('This password is shown only once. Set ADMIN_EMAIL and'),
        row('ADMIN_PASSWORD before the first start to choose your own.'),
        `  └${'─'.repeat(width)}┘`,
        '',
        '',
      ].join('\n'),
    );
  }
  return { created: true, email, generatedPassword: generated };
};
