// What a mapper needs beyond the record: how local ids of referenced records translate to QBO ids and
// back (the worker loads the links of a page before mapping it), and the company's defaults.

import { type RecordType, mirrorLocalId } from '@qbo-sync/domain';

export interface ReferenceResolver {
  /** The QBO id a local record is linked to, or undefined when it is not linked (yet). */
  qboIdOf(type: RecordType, localId: string): string | undefined;
  /** The local id linked to a QBO record, or undefined when none is. */
  localIdOf(type: RecordType, qboId: string): string | undefined;
}

/** A push needs a reference that is not linked: the planner should have linked or created it first. */
export class MissingReferenceError extends Error {
  override readonly name = 'MissingReferenceError';
  constructor(readonly recordType: RecordType, readonly localId: string, readonly field: string) {
    super(`${field} names ${recordType} "${localId}", which is not linked to a QuickBooks record yet; push it first`);
  }
}

/** A QBO record this service cannot represent canonically (e.g. a value QBO accepted but the schema refuses). */
export class QboMappingError extends Error {
  override readonly name = 'QboMappingError';
  constructor(readonly entity: string, readonly qboId: string, readonly problems: readonly string[]) {
    super(`QuickBooks ${entity} ${qboId} cannot be read as a canonical record: ${problems.join('; ')}`);
  }
}

export const requireQboId = (refs: ReferenceResolver, type: RecordType, localId: string, field: string): string => {
  const qboId = refs.qboIdOf(type, localId);
  if (qboId === undefined) throw new MissingReferenceError(type, localId, field);
  return qboId;
};

/** A referenced QBO record with no local link is named by its mirror id: the pull mirrors it under that id. */
export const localIdFor = (refs: ReferenceResolver, type: RecordType, qboId: string): string => refs.localIdOf(type, qboId) ?? mirrorLocalId(qboId);

/** A resolver over plain maps: for tests, and for a worker that loaded the links of one page. */
export const mapReferenceResolver = (links: Partial<Record<RecordType, ReadonlyMap<string, string>>>): ReferenceResolver => {
  const reverse = new Map<RecordType, Map<string, string>>();
  for (const [type, map] of Object.entries(links) as [RecordType, ReadonlyMap<string, string>][]) {
    reverse.set(type, new Map([...map].map(([localId, qboId]) => [qboId, localId])));
  }
  return {
    qboIdOf: (type, localId) => links[type]?.get(localId),
    localIdOf: (type, qboId) => reverse.get(type)?.get(qboId),
  };
};

/** Defaults an item push takes when the record names no account: the tenant's mapping, else ones found in the company. */
export interface ItemAccountDefaults {
  readonly incomeAccountId: string;
  readonly expenseAccountId: string;
  readonly assetAccountId: string;
}

export interface MappingContext {
  readonly refs: ReferenceResolver;
  readonly itemAccounts?: ItemAccountDefaults;
  /** Today in the company's time zone (YYYY-MM-DD): the inventory start date when none is given. */
  readonly today?: string;
}
