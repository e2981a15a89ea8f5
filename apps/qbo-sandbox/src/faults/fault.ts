// The Accounting API's fault: thrown by any rule that refuses a request, rendered as Intuit's
// {"Fault":{"Error":[…],"type":…},"time":…} envelope (inside a batch item, without "time").

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthenticationFault' | 'AuthorizationFault' | 'SERVICE';

export interface FaultError {
  Message: string;
  Detail: string;
  code: string;
  /** Left out when Intuit leaves it out (e.g. 6240, 4000); "" or a field name otherwise. */
  element?: string;
}

export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly type: FaultType,
    readonly errors: FaultError[],
  ) {
    super(errors.map((e) => `${e.code} ${e.Message}: ${e.Detail}`).join('; '));
    this.name = 'QboFault';
  }

  /** The "Fault" object, as it sits in a response body or a batch item. */
  toFault(): { Error: FaultError[]; type: FaultType } {
    return { Error: this.errors.map((e) => ({ ...e })), type: this.type };
  }
}

export const validationFault = (code: string, Message: string, Detail: string, element?: string, status = 400) =>
  new QboFault(status, 'ValidationFault', [element === undefined ? { Message, Detail, code } : { Message, Detail, code, element }]);
