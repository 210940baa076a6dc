import { DEFAULT_LOAD_CONNECTIONS } from '@newsroom/read-models';
import { loadConnectionsFrom } from './rebuild-settings';

describe('REBUILD_CONNECTIONS', () => {
  it('defaults to two connections when unset or empty', () => {
    expect(DEFAULT_LOAD_CONNECTIONS).toBe(2);
    expect(loadConnectionsFrom({})).toBe(2);
    expect(loadConnectionsFrom({ REBUILD_CONNECTIONS: '' })).toBe(2);
  });

  it('takes a whole number from 1 to 64', () => {
    expect(loadConnectionsFrom({ REBUILD_CONNECTIONS: '1' })).toBe(1);
    expect(loadConnectionsFrom({ REBUILD_CONNECTIONS: '8' })).toBe(8);
    expect(loadConnectionsFrom({ REBUILD_CONNECTIONS: '64' })).toBe(64);
  });

  it.each(['0', '65', '-1', '2.5', ' 4', 'four', '1e1'])('refuses %j, naming the setting', (raw) => {
    expect(() => loadConnectionsFrom({ REBUILD_CONNECTIONS: raw })).toThrow(`REBUILD_CONNECTIONS must be an integer from 1 to 64, got '${raw}'`);
  });
});
