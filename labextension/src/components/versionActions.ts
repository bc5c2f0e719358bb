/**
 * The actions on one version, shared by the sidebar's rows and the main-area table: change it,
 * remove an alias (with Undo), delete it (after asking); what is running, for the row's spinner.
 */

import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import * as React from 'react';

import { usePanel } from '../context';
import { enumWords } from '../labels';
import { notifyError } from '../notify';
import { IImageVersion, IPatch } from '../types';

export interface IVersionActions {
  /** What is running on the version ('' when nothing): the spinner's label. */
  working: string;
  update: (
    patch: IPatch,
    done: string,
    reloadAll?: boolean,
    undo?: IPatch
  ) => Promise<boolean>;
  removeAlias: (alias: string) => Promise<boolean>;
  moveAlias: (alias: string) => Promise<boolean>;
  setGuidance: (guidance: string) => Promise<boolean>;
  remove: () => Promise<void>;
}

/**
 * `onChanged` gets the version as the server answered (null when it is gone), and whether the
 * other versions may have changed too (an alias moved, a version deleted).
 */
export function useVersionActions(
  v: IImageVersion,
  onChanged: (updated: IImageVersion | null, reloadAll: boolean) => void
): IVersionActions {
  const { client, trans } = usePanel();
  const [working, setWorking] = React.useState('');

  /** What an Undo put back, in words: "Restored alias latest on version 6". */
  const restored = (undo: IPatch) =>
    undo.aliases_to_add?.length
      ? trans.__(
          'Restored alias %1 on version %2',
          undo.aliases_to_add.join(', '),
          v.version
        )
      : trans.__('Restored version %1', v.version);

  const update = async (
    patch: IPatch,
    done: string,
    reloadAll = false,
    undo?: IPatch
  ): Promise<boolean> => {
    setWorking(trans.__('Changing version %1…', v.version));
    try {
      const updated = await client.update(v.image_name, v.version, patch);
      // A removal can be taken back from its notification.
      const actions = undo
        ? [
            {
              label: trans.__('Undo'),
              callback: () => void update(undo, restored(undo), true)
            }
          ]
        : undefined;
      Notification.success(done, { autoClose: undo ? 8000 : 3000, actions });
      onChanged(updated, reloadAll);
      return true;
    } catch (error) {
      notifyError(trans.__('Version %1 was not changed', v.version), error);
      return false;
    } finally {
      setWorking('');
    }
  };

  const remove = async () => {
    const result = await showDialog({
      title: trans.__('Delete version %1?', v.version),
      body: trans.__(
        'Delete version %1 of %2? Its aliases go with it; the ECR image stays.',
        v.version,
        v.image_name
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Delete') })
      ]
    });
    if (!result.button.accept) {
      return;
    }
    setWorking(trans.__('Deleting version %1…', v.version));
    try {
      const found = await client.remove(v.image_name, v.version);
      Notification.success(
        found
          ? trans.__('Deleting version %1…', v.version)
          : trans.__('Deleted version %1', v.version),
        { autoClose: 3000 }
      );
      onChanged(found, found === null);
    } catch (error) {
      notifyError(trans.__('Version %1 was not deleted', v.version), error);
    } finally {
      setWorking('');
    }
  };

  return {
    working,
    update,
    remove,
    removeAlias: alias =>
      update(
        { aliases_to_delete: [alias] },
        trans.__('Removed alias %1 from version %2', alias, v.version),
        true,
        { aliases_to_add: [alias] }
      ),
    moveAlias: alias =>
      update(
        { move_aliases: [alias] },
        trans.__('Moved alias %1 to version %2', alias, v.version),
        true
      ),
    setGuidance: guidance =>
      update(
        { vendor_guidance: guidance },
        trans.__('Version %1 is now %2', v.version, enumWords(guidance))
      )
  };
}
