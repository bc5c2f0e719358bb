/** Add alias on a row: the shared alias rule, and "Move it here" for an alias another holds. */

import { Button, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IImageVersion, IPatch } from '../types';
import { aliasesProblem } from '../validation';
import { FieldMessage } from './common';

export function AddAlias(props: {
  version: IImageVersion;
  /** Every alias of the image -> the version holding it. */
  aliases: Record<string, number>;
  busy: boolean;
  update: (
    patch: IPatch,
    done: string,
    reloadAll?: boolean
  ) => Promise<boolean>;
}): JSX.Element {
  const { trans } = usePanel();
  const v = props.version;
  const [newAlias, setNewAlias] = React.useState('');
  const [message, setMessage] = React.useState('');
  const [heldBy, setHeldBy] = React.useState<number | null>(null);

  const send = async (patch: IPatch, done: string) => {
    if (await props.update(patch, done, true)) {
      setNewAlias('');
      setMessage('');
      setHeldBy(null);
    }
  };

  const add = () => {
    const alias = newAlias.trim();
    if (!alias) {
      return;
    }
    // The same rule as the register form and the server (validation.ts).
    const problem = aliasesProblem(
      [alias],
      undefined,
      props.aliases,
      v.version
    );
    setMessage(problem?.message ?? '');
    setHeldBy(problem?.heldBy ? problem.heldBy[1] : null);
    if (!problem) {
      void send(
        { aliases_to_add: [alias] },
        trans.__('Added alias %1 to version %2', alias, v.version)
      );
    }
  };

  return (
    <>
      <div className="jp-IV-action jp-IV-addAlias">
        <InputGroup
          className="jp-IV-input"
          placeholder={trans.__('new alias, e.g. 2.3.1')}
          aria-label={trans.__('New alias for version %1', v.version)}
          aria-invalid={message ? true : undefined}
          value={newAlias}
          onChange={event => {
            setNewAlias(event.target.value);
            setMessage('');
            setHeldBy(null);
          }}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              add();
            }
          }}
        />
        <Button small disabled={props.busy || !newAlias.trim()} onClick={add}>
          {trans.__('Add alias')}
        </Button>
      </div>
      <FieldMessage field="alias" message={message}>
        {heldBy !== null && (
          <Button
            small
            className="jp-IV-moveHere"
            disabled={props.busy}
            onClick={() =>
              void send(
                { move_aliases: [newAlias.trim()] },
                trans.__(
                  'Moved alias %1 to version %2',
                  newAlias.trim(),
                  v.version
                )
              )
            }
          >
            {trans.__('Move it here')}
          </Button>
        )}
      </FieldMessage>
    </>
  );
}
