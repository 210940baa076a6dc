import { EventStoreUnavailable } from '@newsroom/event-store';
import { ProjectionError } from '../projections/story-read-models.projection';
import { isTransientError } from './transient-errors';

const pgError = (code: string, message = 'pg error'): Error => Object.assign(new Error(message), { code });
/** TypeORM's QueryFailedError copies the driver error's fields and keeps it as `driverError`. */
const typeormError = (driverError: Error): Error => Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });

describe('isTransientError', () => {
  it.each([
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['a refused connection', pgError('ECONNREFUSED')],
    ['an administrator shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['a connection exception class', pgError('08006')],
    ['a deadlock', pgError('40P01')],
    ['a table swapped away by a rebuild', typeormError(pgError('42P01', 'relation "read_model.stories" does not exist'))],
    ['a relation dropped under a running statement', new Error('could not open relation with OID 16410')],
    ['an unavailable event store', new EventStoreUnavailable('PostgreSQL event store: subscription read failed')],
    ['a connection error as the cause', new Error('batch failed', { cause: pgError('ECONNRESET') })],
  ])('retries %s', (_, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['an event the projection cannot handle', new ProjectionError('Cannot project Bogus', 'e-1')],
    ['a constraint the projection violated', typeormError(pgError('23505', 'duplicate key value violates unique constraint'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'boom'],
  ])('does not retry %s', (_, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
