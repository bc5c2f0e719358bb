/** The "⋯" button of a version's row: opens its actions menu; a spinner while one runs. */

import { ellipsesIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { Spinner } from './common';
import { IRowMenuOptions, openRowMenu } from './rowMenu';

export function RowMenuButton(props: {
  options: Omit<IRowMenuOptions, 'trans'>;
}): JSX.Element {
  const { trans, openContents } = usePanel();
  const working = props.options.actions.working;
  const v = props.options.version;
  return (
    <button
      type="button"
      className="jp-IV-iconButton jp-IV-rowMenuButton"
      aria-haspopup="menu"
      aria-busy={working ? true : undefined}
      aria-label={trans.__('Actions on version %1', v.version)}
      title={working || trans.__('Actions on version %1', v.version)}
      disabled={Boolean(working) || v.status === 'DELETING'}
      onClick={event =>
        openRowMenu(
          event.currentTarget,
          {
            onContents: openContents
              ? () => openContents(v.image_name, v.version)
              : undefined,
            ...props.options,
            trans
          },
          // A click from Enter or Space: the menu opens with its first item active.
          event.detail === 0
        )
      }
    >
      {working ? (
        <Spinner label={working} />
      ) : (
        <ellipsesIcon.react tag="span" elementSize="small" />
      )}
    </button>
  );
}
