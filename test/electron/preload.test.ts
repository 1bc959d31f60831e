/**
 * The built preload bundle as Electron's sandbox runs it: one CommonJS file whose only require is
 * 'electron' (stubbed here — a pure unit test; the Electron binary cannot run on this machine).
 */
import fs from 'node:fs';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdConsoleApi } from '../../shared/contract.ts';
import { OPERATION_NAMES } from '../../shared/contract.ts';

const BUNDLE = 'dist/electron/preload.cjs';

function loadPreload() {
  const required: string[] = [];
  const invoked: { channel: string; input: unknown }[] = [];
  const listeners = new Map<string, ((event: unknown, message: unknown) => void)[]>();
  let exposed: { key: string; api: AdConsoleApi } | null = null;
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: AdConsoleApi) => (exposed = { key, api }) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => {
        invoked.push({ channel, input });
        return { ok: true, value: 'from main' };
      },
      on: (channel: string, fn: (event: unknown, message: unknown) => void) =>
        listeners.set(channel, [...(listeners.get(channel) ?? []), fn]),
      removeListener: (channel: string, fn: unknown) =>
        listeners.set(
          channel,
          (listeners.get(channel) ?? []).filter((f) => f !== fn),
        ),
    },
  };
  const module = { exports: {} };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  // The globals a sandboxed preload has (a web context), and nothing of Node's.
  vm.runInNewContext(fs.readFileSync(BUNDLE, 'utf8'), {
    require: sandboxRequire,
    module,
    exports: module.exports,
    console,
    TextDecoder,
    TextEncoder,
    URL,
  });
  return { required, invoked, listeners, exposed: exposed as { key: string; api: AdConsoleApi } | null };
}

describe('the preload bundle', () => {
  let loaded: ReturnType<typeof loadPreload>;
  beforeAll(() => {
    if (!fs.existsSync(BUNDLE))
      throw new Error('dist/electron/preload.cjs is missing: run "npm run build" (npm test does).');
    loaded = loadPreload();
  });

  it('requires nothing but electron', () => {
    expect(new Set(loaded.required)).toEqual(new Set(['electron']));
  });

  it('exposes window.adConsole', () => {
    expect(loaded.exposed?.key).toBe('adConsole');
  });

  it('forwards each contract operation on its own channel', async () => {
    for (const name of OPERATION_NAMES) await loaded.exposed!.api.invoke(name, {} as never);
    expect(loaded.invoked.map((i) => i.channel)).toEqual(OPERATION_NAMES.map((n) => `adconsole:${n}`));
  });

  it('refuses names outside the contract without touching IPC', async () => {
    const before = loaded.invoked.length;
    const result = await loaded.exposed!.api.invoke('shell.exec' as never, {} as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
    expect(loaded.invoked.length).toBe(before);
  });

  it('delivers only the subscribed event and lets the listener go', () => {
    const seen: unknown[] = [];
    const off = loaded.exposed!.api.on('menu.command', (payload) => seen.push(payload));
    const [handler] = loaded.listeners.get('adconsole:event')!;
    handler!({}, { event: 'settings.changed', payload: 1 });
    handler!({}, { event: 'menu.command', payload: { command: 'about' } });
    off();
    expect(seen).toEqual([{ command: 'about' }]);
    expect(loaded.listeners.get('adconsole:event')).toEqual([]);
    expect(loaded.exposed!.api.on('unknown.event' as never, () => undefined)).toBeTypeOf('function');
  });
});
