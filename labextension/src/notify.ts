import { Notification } from '@jupyterlab/apputils';

import { ApiError } from './api';

/** One line for an error: the server's message (with its code when it helps). */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Show an error as a JupyterLab notification; never a silent failure. */
export function notifyError(action: string, error: unknown): void {
  Notification.error(`${action}: ${errorText(error)}`, { autoClose: 8000 });
}
