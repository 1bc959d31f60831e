/**
 * The renderer's one door to the main process: `window.adConsole` from the preload in the desktop app,
 * or the same contract over HTTP + WebSocket in the browser console. Both are typed by the contract.
 */
import type { AdConsoleApi, EventName, Events, InputOf, OperationName, ResultOf } from '../../shared/contract.ts';
import type { Result } from '../../shared/result.ts';

declare global {
  interface Window {
    adConsole?: AdConsoleApi;
  }
}

function browserTransport(): AdConsoleApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let socket: WebSocket | null = null;
  const connect = () => {
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`);
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: never };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    // The console reconnects after a server restart so that pushed events keep arriving.
    socket.onclose = () => setTimeout(connect, 2000);
  };
  connect();
  return {
    async invoke<K extends OperationName>(name: K, input: InputOf<K>): Promise<Result<ResultOf<K>>> {
      let response: Response;
      try {
        response = await fetch(`/api/invoke/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
          credentials: 'same-origin',
        });
      } catch {
        return {
          ok: false,
          error: {
            code: 'offline',
            message: 'The console service does not answer.',
            hint: 'Check that "npm run web" (or the desktop app) is still running, then try again.',
          },
        };
      }
      if (response.status === 401)
        return {
          ok: false,
          error: {
            code: 'unauthorized',
            message: 'This browser tab is no longer authorised (the console was restarted).',
            hint: 'Open the new address that the console printed.',
          },
        };
      if (!response.ok)
        return {
          ok: false,
          error: {
            code: 'http-error',
            message: `The console service refused the request (HTTP ${response.status}): ${await response.text()}`,
          },
        };
      return (await response.json()) as Result<ResultOf<K>>;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

export const api: AdConsoleApi = window.adConsole ?? browserTransport();
