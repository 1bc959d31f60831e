/** IPC registration with Electron's ipcMain stubbed (pure unit test: no Electron binary here). */
import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES } from '../../shared/contract.ts';
import { tempDirFor } from '../support/temp-dir.ts';
import { testServices } from '../support/console-services.ts';

const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, fn),
  },
}));
const { registerIpc } = await import('../../electron/ipc.ts');

const RENDERER = 'file:///app/dist/renderer/index.html';

describe('registerIpc', () => {
  const dataDir = tempDirFor('ipc');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  registerIpc(testServices(dataDir, { transport: 'electron' }), RENDERER);

  it('registers exactly one channel per contract operation', () => {
    expect([...handlers.keys()].sort()).toEqual(OPERATION_NAMES.map((n) => `adconsole:${n}`).sort());
  });

  it('answers our window through the registry, validating input', async () => {
    const fromWindow = { senderFrame: { url: RENDERER, parent: null } };
    expect(await handlers.get('adconsole:app.info')!(fromWindow, {})).toMatchObject({
      ok: true,
      value: { transport: 'electron' },
    });
    expect(await handlers.get('adconsole:settings.save')!(fromWindow, { settings: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('refuses a frame that is not our top-level page', async () => {
    for (const senderFrame of [{ url: 'https://evil.example/', parent: null }, { url: RENDERER, parent: {} }, null]) {
      expect(await handlers.get('adconsole:settings.get')!({ senderFrame }, {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
  });
});
