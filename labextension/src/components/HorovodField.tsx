/**
 * Horovod, three states: not provided until the user touches the box (nothing is sent), then
 * Yes or No (sent as true or false). The box is indeterminate while not provided.
 */

import * as React from 'react';

import { usePanel } from '../context';
import { FieldMessage } from './common';

export function HorovodField(props: {
  value: boolean | null;
  onChange: (value: boolean) => void;
  message?: string;
}): JSX.Element {
  const { trans } = usePanel();
  const box = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => {
    if (box.current) {
      box.current.indeterminate = props.value === null;
    }
  }, [props.value]);
  const state =
    props.value === null
      ? trans.__('Not provided')
      : props.value
        ? trans.__('Yes')
        : trans.__('No');
  return (
    <div className="jp-IV-field jp-IV-check" data-field="horovod">
      <label>
        <input
          ref={box}
          type="checkbox"
          name="horovod"
          checked={props.value === true}
          aria-checked={props.value === null ? 'mixed' : props.value}
          onChange={event => props.onChange(event.target.checked)}
        />
        {trans.__('Horovod')}
        <span className="jp-IV-checkState" data-state={String(props.value)}>
          {state}
        </span>
      </label>
      <FieldMessage field="horovod" message={props.message} />
    </div>
  );
}
