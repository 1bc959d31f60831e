/**
 * The sandboxed preload: exposes `window.adConsole` built from the contract. It lets through only the
 * contract's operation names and events; the renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelOf, EVENT_CHANNEL, EVENT_NAMES, isOperationName, type AdConsoleApi } from '../shared/contract.ts';

const api: AdConsoleApi = {
  invoke(name, input) {
    if (!isOperationName(name))
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-operation', message: `There is no operation called "${String(name)}".` },
      });
    return ipcRenderer.invoke(channelOf(name), input);
  },
  on(event, listener) {
    if (!EVENT_NAMES.includes(event)) return () => undefined;
    const handler = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message.event === event) listener(message.payload as never);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('adConsole', api);
