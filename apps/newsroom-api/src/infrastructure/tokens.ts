/** Injection tokens for ports, so consumers depend on the interface and not on an adapter class. */
export const EVENT_STORE = Symbol('EventStore');
export const NEWSROOM_CONFIG = Symbol('NewsroomConfig');
export const CLOCK = Symbol('Clock');
export const ID_GENERATOR = Symbol('IdGenerator');

/** Time comes in from outside so tests can fix it; production uses the system clock. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
