// Raised when the environment holds a bad or missing setting. The message names each variable (never its
// value when the variable may carry a secret), so start-up stops with something a person can act on.

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(readonly problems: readonly { readonly variable: string; readonly message: string }[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  ${problem.variable}: ${problem.message}`).join('\n')}`);
  }
}
