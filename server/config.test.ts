import { ArenaError } from '../environments/core/errors';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('has embedded defaults', () => {
    expect(loadConfig({})).toMatchObject({ port: 2567, host: '127.0.0.1', dataDir: './data', reconnectSeconds: 20 });
  });
  it('reads the environment and lets flags win', () => {
    const c = loadConfig({ PORT: '3000', ARENA_DATA: '/tmp/x', ARENA_RECONNECT_SECONDS: '5' }, { port: '4000' });
    expect(c).toMatchObject({ port: 4000, dataDir: '/tmp/x', reconnectSeconds: 5 });
  });
  it('names the bad setting and its variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ArenaError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/invalid setting port \(PORT\)/);
    expect(() => loadConfig({ ARENA_ADMIN_TOKEN: 'short' })).toThrow(/adminToken \(ARENA_ADMIN_TOKEN\): must be at least 16/);
    expect(() => loadConfig({}, { logLevel: 'loud' })).toThrow(/logLevel/);
  });
});
