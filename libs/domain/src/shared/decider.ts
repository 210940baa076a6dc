/**
 * The shape of an aggregate's business logic (after Emmett's `Decider`): three pure functions,
 * no I/O. Current state is always `events.reduce(evolve, initialState())`.
 */
export interface Decider<State, Command, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** A command or an event: a type name and a data payload. */
export interface Message<Type extends string, Data extends object> {
  readonly type: Type;
  readonly data: Data;
}
