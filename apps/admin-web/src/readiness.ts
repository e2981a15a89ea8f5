// Asks the api whether it can serve. The api answers /readyz with {status:'ready'} or a 503 problem.

export type Readiness =
  | { readonly state: 'checking' }
  | { readonly state: 'ready' }
  | { readonly state: 'not_ready'; readonly detail: string }
  | { readonly state: 'unreachable'; readonly detail: string };

export const fetchReadiness = async (signal?: AbortSignal): Promise<Readiness> => {
  try {
    const response = await fetch('/readyz', { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
    if (response.ok) return { state: 'ready' };
    const body = (await response.json().catch(() => ({}))) as { detail?: unknown };
    return { state: 'not_ready', detail: typeof body.detail === 'string' ? body.detail : `HTTP ${response.status}` };
  } catch (error) {
    return { state: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
  }
};
