/** One version in the main-area table: its cells, a Compare tick, and the row's "⋯" menu. */

import * as React from 'react';

import { usePanel } from '../context';
import { IImageVersion } from '../types';
import { RowMenuButton } from '../components/RowMenuButton';
import { useVersionActions } from '../components/versionActions';
import { IColumn } from './columns';

/** What the side pane beside the table shows for a version. */
export type SideTool = 'check' | 'attach';

export function HistoryRow(props: {
  version: IImageVersion;
  columns: IColumn[];
  aliases: Record<string, number>;
  focused: boolean;
  ticked: boolean;
  onFocus: () => void;
  onTick: (on: boolean) => void;
  onTool: (tool: SideTool) => void;
  onChanged: () => void;
}): JSX.Element {
  const { trans } = usePanel();
  const v = props.version;
  const actions = useVersionActions(v, () => props.onChanged());
  return (
    <tr
      data-version={v.version}
      data-status={v.status}
      aria-busy={actions.working ? true : undefined}
      className={props.focused ? 'jp-mod-selected' : undefined}
      onClick={props.onFocus}
    >
      <td>
        <input
          type="checkbox"
          aria-label={trans.__('Compare version %1', v.version)}
          checked={props.ticked}
          onChange={event => props.onTick(event.target.checked)}
        />
      </td>
      <td data-column="actions">
        <RowMenuButton
          options={{
            version: v,
            aliases: props.aliases,
            actions,
            onCheck: () => props.onTool('check'),
            onAttach: () => props.onTool('attach')
          }}
        />
      </td>
      {props.columns.map(c => (
        <td key={c.key} data-column={c.key} title={c.text(v)}>
          {c.text(v)}
        </td>
      ))}
    </tr>
  );
}
