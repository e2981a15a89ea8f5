// Why a record command was refused. Each names what a person needs to act on it; the API maps them to 4xx.

export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
  constructor(readonly recordType: string, readonly localId: string) {
    super(`no ${recordType} with local id "${localId}" exists`);
  }
}

export class RecordAlreadyLinkedError extends Error {
  override readonly name = 'RecordAlreadyLinkedError';
  constructor(readonly recordType: string, readonly localId: string, readonly linkedQboId: string, readonly requestedQboId: string) {
    super(`${recordType} "${localId}" is already linked to QuickBooks id ${linkedQboId}; linking it to ${requestedQboId} needs an unlink first`);
  }
}

export class RecordNotLinkedError extends Error {
  override readonly name = 'RecordNotLinkedError';
  constructor(readonly recordType: string, readonly localId: string) {
    super(`${recordType} "${localId}" is not linked to a QuickBooks record`);
  }
}

export class NoOpenConflictError extends Error {
  override readonly name = 'NoOpenConflictError';
  constructor(readonly recordType: string, readonly localId: string) {
    super(`${recordType} "${localId}" has no conflict waiting for review`);
  }
}
