// The admin app's shell: the service's name and whether the api is ready, re-checked every few seconds.
// Issue 6 replaces this with the real screens built on a component library.

import { useEffect, useState } from 'react';
import { type Readiness, fetchReadiness } from './readiness.js';

const POLL_MS = 5_000;

const label: Record<Readiness['state'], string> = {
  checking: 'Checking…',
  ready: 'Ready',
  not_ready: 'Not ready',
  unreachable: 'API unreachable',
};

export const App = () => {
  const [readiness, setReadiness] = useState<Readiness>({ state: 'checking' });
  useEffect(() => {
    const controller = new AbortController();
    const check = async () => setReadiness(await fetchReadiness(controller.signal));
    void check();
    const timer = setInterval(() => void check(), POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '3rem auto', maxWidth: '40rem' }}>
      <h1>qbo-sync</h1>
      <p>Keeps your records in sync with QuickBooks Online.</p>
      <section aria-label="Service status">
        <strong>API status: </strong>
        <span data-testid="readiness" data-state={readiness.state}>
          {label[readiness.state]}
        </span>
        {'detail' in readiness ? <p role="alert">{readiness.detail}</p> : null}
      </section>
    </main>
  );
};
