// Why a connection command was refused. Each carries what a person needs to act on it.

export class RealmChangeNeedsConfirmationError extends Error {
  override readonly name = 'RealmChangeNeedsConfirmationError';
  constructor(
    readonly previousRealmId: string,
    readonly previousCompanyName: string,
    readonly requestedRealmId: string,
  ) {
    super(
      `this tenant was connected to QuickBooks company "${previousCompanyName}" (realm ${previousRealmId}); connecting realm ${requestedRealmId} instead needs an explicit confirmation, so two companies' records never mix`,
    );
  }
}

export class ConnectionNotActiveError extends Error {
  override readonly name = 'ConnectionNotActiveError';
  constructor(readonly detail: string) {
    super(detail);
  }
}
