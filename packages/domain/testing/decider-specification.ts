// Given/when/then for deciders, shared by every decider's spec: given the events a stream already holds,
// when a command arrives, then these events are decided (or this error is thrown). Each spec then reads as
// three lines of intent. Assertions are vitest's, so a failing spec shows a diff of the events.

import { expect } from 'vitest';

export interface Decider<Command, Event, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

export interface Then<Event, State> {
  /** The decided events equal these exactly. */
  then(expected: readonly Event[]): void;
  /** The decided events match these partially (each object's given keys). */
  thenMatches(expected: readonly unknown[]): void;
  /** Nothing is decided: the command changes nothing. */
  thenNothing(): void;
  /** The command is refused with this error (a class, or a message pattern). */
  thenThrows(error: (abstract new (...args: never[]) => Error) | RegExp): void;
  /** The state after the decided events, for a spec that checks what the stream now holds. */
  thenState(): State;
}

export const deciderSpecification = <Command, Event, State>(decider: Decider<Command, Event, State>) => ({
  given: (history: readonly Event[] = []) => {
    const state = history.reduce(decider.evolve, decider.initialState());
    return {
      state: () => state,
      when: (command: Command): Then<Event, State> => {
        const decide = () => decider.decide(command, state);
        return {
          then: (expected) => expect(decide()).toEqual(expected),
          thenMatches: (expected) => expect(decide()).toMatchObject(expected as unknown[]),
          thenNothing: () => expect(decide()).toEqual([]),
          thenThrows: (error) => expect(decide).toThrow(error as never),
          thenState: () => decide().reduce(decider.evolve, state),
        };
      },
    };
  },
});

/** The events a sequence of commands decides, each command seeing the events before it. */
export const decideAll = <Command, Event, State>(decider: Decider<Command, Event, State>, commands: readonly Command[], history: readonly Event[] = []): Event[] =>
  commands.reduce<Event[]>((events, command) => [...events, ...decider.decide(command, events.reduce(decider.evolve, decider.initialState()))], [...history]);
