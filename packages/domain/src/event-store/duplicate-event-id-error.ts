// Raised when an append carries event ids that already exist but the append is not an exact repeat
// of the earlier one (an exact repeat is answered with the earlier result and writes nothing).

export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly streamName: string,
    readonly eventIds: readonly string[],
  ) {
    super(`stream ${streamName}: event ids already stored elsewhere: ${eventIds.join(', ')}`);
  }
}
