/** A new version's live status: polled until it settles, told by notification either way. */

import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { usePanel } from '../context';
import { notifyError } from '../notify';
import { IImageVersion, SETTLED } from '../types';

export const POLL_MS = 1000;

/** The notification for a version that just settled: success, or the failure reason. */
export function notifySettled(
  trans: TranslationBundle,
  found: IImageVersion
): void {
  if (found.status === 'CREATED') {
    Notification.success(
      trans.__('%1 version %2 is created', found.image_name, found.version),
      { autoClose: 4000 }
    );
  } else if (found.status === 'CREATE_FAILED') {
    Notification.error(
      trans.__(
        '%1 version %2 failed: %3',
        found.image_name,
        found.version,
        found.failure_reason ?? ''
      ),
      { autoClose: 8000 }
    );
  }
}

export function useRegistrationPoll(
  registered: IImageVersion | null,
  setRegistered: (found: IImageVersion) => void,
  moveAfter: string[],
  onError: (error: unknown) => void
): void {
  const { client, trans } = usePanel();
  React.useEffect(() => {
    if (!registered || SETTLED.has(registered.status)) {
      return;
    }
    const timer = window.setTimeout(() => {
      client
        .version(registered.image_name, registered.version)
        .then(found => {
          setRegistered(found);
          if (found.status === 'CREATED' && moveAfter.length) {
            client
              .update(found.image_name, found.version, {
                move_aliases: moveAfter
              })
              .then(() =>
                Notification.success(
                  trans.__(
                    'Moved %1 to version %2',
                    moveAfter.join(', '),
                    found.version
                  ),
                  { autoClose: 4000 }
                )
              )
              .catch(error =>
                notifyError(trans.__('Aliases were not moved'), error)
              );
          }
          notifySettled(trans, found);
        })
        .catch(onError);
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [registered]);
}
