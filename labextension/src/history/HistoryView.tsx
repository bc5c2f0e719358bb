/**
 * The main-area history of one image: the time axis above a sortable, filterable table of every
 * version; ticking two rows shows Compare beside the table.
 */

import { Notification } from '@jupyterlab/apputils';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { errorText } from '../notify';
import { IImageVersion } from '../types';
import { DiffView } from '../components/DiffView';
import { columns } from './columns';
import { TimeAxis } from './TimeAxis';

async function everyVersion(
  load: (
    next: string | null
  ) => Promise<{ versions: IImageVersion[]; next: string | null }>
): Promise<IImageVersion[]> {
  const all: IImageVersion[] = [];
  let next: string | null = null;
  do {
    const page = await load(next);
    all.push(...page.versions);
    next = page.next;
  } while (next);
  return all;
}

export function HistoryView(props: { image: string }): JSX.Element {
  const { client, trans } = usePanel();
  const cols = React.useMemo(() => columns(trans), [trans]);
  const [versions, setVersions] = React.useState<IImageVersion[]>([]);
  const [error, setError] = React.useState('');
  const [loading, setLoading] = React.useState(true);
  const [filter, setFilter] = React.useState('');
  const [sort, setSort] = React.useState<{ key: string; up: boolean }>({
    key: 'version',
    up: false
  });
  const [focused, setFocused] = React.useState<number | null>(null);
  const [ticked, setTicked] = React.useState<number[]>([]);

  const load = React.useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      setVersions(
        await everyVersion(next =>
          client.history(props.image, { limit: 100, ...(next ? { next } : {}) })
        )
      );
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setLoading(false);
    }
  }, [props.image]);
  React.useEffect(() => void load(), [load]);

  const column = cols.find(c => c.key === sort.key) ?? cols[0];
  const needle = filter.trim().toLowerCase();
  const shown = versions
    .filter(
      v => !needle || cols.some(c => c.text(v).toLowerCase().includes(needle))
    )
    .sort((a, b) => {
      const [x, y] = [column.sort(a), column.sort(b)];
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.up ? order : -order;
    });
  const pair = ticked
    .map(n => versions.find(v => v.version === n))
    .filter((v): v is IImageVersion => v !== undefined);

  const tick = (n: number, on: boolean) => {
    // As in the sidebar: a third tick is refused out loud.
    if (on && ticked.length >= 2 && !ticked.includes(n)) {
      Notification.warning(
        trans.__(
          'Compare takes two versions: v%1 and v%2 are selected. Clear one first.',
          ...ticked
        ),
        { autoClose: 5000 }
      );
      return;
    }
    setTicked(current =>
      on ? [...current.filter(x => x !== n), n] : current.filter(x => x !== n)
    );
  };

  return (
    <div className="jp-IV-historyView jp-ImageVersions">
      <div className="jp-IV-toolbar">
        <h2 className="jp-IV-title">
          {trans.__('History of %1', props.image)}
        </h2>
        <input
          className="jp-mod-styled jp-IV-input jp-IV-historyFilter"
          placeholder={trans.__('Filter versions')}
          aria-label={trans.__('Filter versions')}
          value={filter}
          onChange={event => setFilter(event.target.value)}
        />
        <Button small onClick={() => void load()} disabled={loading}>
          {trans.__('Reload')}
        </Button>
      </div>
      {error && (
        <div className="jp-IV-formMessage jp-IV-loadError" role="alert">
          {trans.__('Could not load the history of %1:', props.image)} {error}
        </div>
      )}
      {!error && (
        <TimeAxis
          versions={versions}
          selected={focused}
          onSelect={setFocused}
        />
      )}
      <div className="jp-IV-historyBody">
        <table className="jp-IV-historyTable">
          <thead>
            <tr>
              <th>
                <span className="jp-IV-muted">{trans.__('Compare')}</span>
              </th>
              {cols.map(c => (
                <th
                  key={c.key}
                  data-column={c.key}
                  aria-sort={
                    sort.key === c.key
                      ? sort.up
                        ? 'ascending'
                        : 'descending'
                      : 'none'
                  }
                >
                  <button
                    type="button"
                    className="jp-IV-sortButton"
                    onClick={() =>
                      setSort({
                        key: c.key,
                        up: sort.key === c.key ? !sort.up : true
                      })
                    }
                  >
                    {c.label}
                    {sort.key === c.key ? (sort.up ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(error ? [] : shown).map(v => (
              <tr
                key={v.version}
                data-version={v.version}
                className={
                  focused === v.version ? 'jp-mod-selected' : undefined
                }
                onClick={() => setFocused(v.version)}
              >
                <td>
                  <input
                    type="checkbox"
                    aria-label={trans.__('Compare version %1', v.version)}
                    checked={ticked.includes(v.version)}
                    onChange={event => tick(v.version, event.target.checked)}
                  />
                </td>
                {cols.map(c => (
                  <td key={c.key} data-column={c.key}>
                    {c.text(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {pair.length === 2 && (
          <div className="jp-IV-historyCompare">
            <DiffView
              versions={[pair[0], pair[1]]}
              onClose={() => setTicked([])}
            />
          </div>
        )}
      </div>
    </div>
  );
}
