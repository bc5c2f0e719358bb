/** One version in the main-area table: its cells, a Compare tick, and the row's "⋯" menu. */

import * as React from 'react';

import { usePanel } from '../context';
import { IFound, IImageVersion } from '../types';
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
  /** Find's answer for this version: its matches, null when it does not match, 'unread' when
   * it was not read, absent when nothing was searched. */
  found?: IFound | null | 'unread';
}): JSX.Element {
  const { trans } = usePanel();
  const v = props.version;
  const actions = useVersionActions(v, () => props.onChanged());
  return (
    <tr
      data-version={v.version}
      data-status={v.status}
      aria-busy={actions.working ? true : undefined}
      className={
        [
          props.focused ? 'jp-mod-selected' : '',
          typeof props.found === 'object' && props.found ? 'jp-IV-found' : '',
          props.found === null || props.found === 'unread'
            ? 'jp-IV-notFound'
            : ''
        ]
          .filter(Boolean)
          .join(' ') || undefined
      }
      data-found={
        props.found === undefined
          ? undefined
          : props.found === 'unread'
            ? 'unread'
            : props.found
              ? 'true'
              : 'false'
      }
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
      {props.found !== undefined && (
        <td data-column="found">
          {props.found === 'unread' ? (
            <span className="jp-IV-noMatch">{trans.__('not read')}</span>
          ) : props.found ? (
            <span className="jp-IV-foundMark">
              {'✓ '}
              {props.found.matches
                .map(m => `${m.name} ${m.version}`)
                .join(', ')}
            </span>
          ) : (
            <span className="jp-IV-noMatch">{trans.__('no match')}</span>
          )}
        </td>
      )}
      {props.columns.map(c => (
        <td key={c.key} data-column={c.key} title={c.text(v)}>
          {c.text(v)}
        </td>
      ))}
    </tr>
  );
}
