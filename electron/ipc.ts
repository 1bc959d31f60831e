/** Serves the handler registry over Electron IPC: one channel per contract operation, sender checked. */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channelOf, OPERATION_NAMES } from '../shared/contract.ts';
import { fail } from '../shared/result.ts';
import type { Services } from './core/app-services.ts';
import { dispatch } from './core/handlers.ts';
import { isTrustedSender } from './trusted-sender.ts';

export function registerIpc(services: Services, rendererUrl: string): void {
  for (const name of OPERATION_NAMES) {
    ipcMain.handle(channelOf(name), async (event: IpcMainInvokeEvent, input: unknown) => {
      // Only our own top-level page may call the core: not an iframe, not a navigated-away page.
      if (!isTrustedSender(event.senderFrame, rendererUrl)) {
        return fail('forbidden', 'This request did not come from the console window and was refused.');
      }
      return dispatch(services.handlers, name, input, services.log);
    });
  }
}
