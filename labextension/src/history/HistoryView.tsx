/**
 * The main-area history of one image: the time axis above a sortable, filterable table of every
 * version; ticking two rows shows Compare beside the table.
 */

import { Notification } from '@jupyterlab/apputils';
import { Button, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { errorText } from '../notify';
import { IFound, IImageVersion, SETTLED } from '../types';
import { AttachForm } from '../components/AttachForm';
import { Spinner } from '../components/common';
import { SortHeader } from '../components/SortHeader';
import { DiffView } from '../components/DiffView';
import { DoctorFindings } from '../components/DoctorFindings';
import { POLL_MS } from '../components/registerPoll';
import { FindBox, IFindResult } from '../contents/FindBox';
import { PackagesDiff } from '../contents/PackagesDiff';
import { columns } from './columns';
import { HistoryRow, SideTool } from './HistoryRow';
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

/**
 * Find's answer for a row: its matches, null when it was read and does not match, 'unread' when
 * it could not be read (or has no image to read, like a failed version), undefined before Find.
 */
function foundOf(
  found: IFindResult | null,
  v: IImageVersion
): IFound | null | 'unread' | undefined {
  if (!found) {
    return undefined;
  }
  const match = found.versions.find(f => f.version === v.version);
  if (match) {
    return match;
  }
  const unread =
    found.unread.some(u => u.version === v.version) ||
    !v.base_image ||
    v.status === 'CREATE_FAILED';
  return unread ? 'unread' : null;
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
  const [found, setFound] = React.useState<IFindResult | null>(null);
  const [tool, setTool] = React.useState<{
    version: number;
    tool: SideTool;
    asked: number;
  } | null>(null);

  // An opened side tool takes the focus, so Escape (and the keyboard) reach it.
  const side = React.useRef<HTMLElement>(null);
  React.useEffect(() => side.current?.focus(), [tool?.asked]);

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

  // Versions still CREATING or DELETING are read again until they settle.
  const moving = versions.filter(v => !SETTLED.has(v.status)).length;
  React.useEffect(() => {
    if (!moving || loading) {
      return;
    }
    const timer = window.setTimeout(() => void load(), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [moving, loading, versions]);

  const aliases: Record<string, number> = {};
  for (const v of versions) {
    for (const alias of v.aliases) {
      aliases[alias] = v.version;
    }
  }
  const toolVersion = tool
    ? versions.find(v => v.version === tool.version)
    : undefined;

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
    <div
      className="jp-IV-historyView jp-ImageVersions"
      onKeyDown={event => {
        // Escape closes the side panel: the check or attach form first, then Compare.
        if (event.key !== 'Escape' || event.defaultPrevented) {
          return;
        }
        if (tool) {
          setTool(null);
        } else if (ticked.length === 2) {
          setTicked([]);
        } else {
          return;
        }
        event.stopPropagation();
      }}
    >
      <div className="jp-IV-toolbar">
        <h2 className="jp-IV-title">
          {trans.__('History of %1', props.image)}
        </h2>
        <InputGroup
          className="jp-IV-historyFilter"
          type="search"
          rightIcon="ui-components:search"
          placeholder={trans.__('Filter versions')}
          aria-label={trans.__('Filter versions')}
          value={filter}
          onChange={event => setFilter(event.target.value)}
        />
        <Button
          small
          className="jp-IV-busyButton jp-IV-reload"
          onClick={() => void load()}
          disabled={loading}
          aria-busy={loading}
        >
          {loading && <Spinner label={trans.__('Loading versions')} />}
          {trans.__('Reload')}
        </Button>
      </div>
      <FindBox image={props.image} onResult={setFound} />
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
        <div className="jp-IV-historyTableBox">
          <table className="jp-IV-historyTable">
            <thead>
              <tr>
                <th>
                  <span className="jp-IV-muted">{trans.__('Compare')}</span>
                </th>
                <th>
                  <span className="jp-IV-muted">{trans.__('Actions')}</span>
                </th>
                {found && (
                  <th data-column="found">
                    <span className="jp-IV-muted">{trans.__('Found')}</span>
                  </th>
                )}
                {cols.map(c => (
                  <SortHeader
                    key={c.key}
                    column={c.key}
                    label={c.label}
                    sort={sort}
                    onSort={setSort}
                  />
                ))}
              </tr>
            </thead>
            <tbody>
              {(error ? [] : shown).map(v => (
                <HistoryRow
                  key={v.version}
                  version={v}
                  columns={cols}
                  aliases={aliases}
                  focused={focused === v.version}
                  ticked={ticked.includes(v.version)}
                  onFocus={() => setFocused(v.version)}
                  onTick={on => tick(v.version, on)}
                  onTool={which =>
                    setTool({
                      version: v.version,
                      tool: which,
                      asked: (tool?.asked ?? 0) + 1
                    })
                  }
                  onChanged={() => void load()}
                  found={foundOf(found, v)}
                />
              ))}
            </tbody>
          </table>
        </div>
        {(pair.length === 2 || toolVersion) && (
          // Beside the table: a version's check or attach form, and Compare.
          <div className="jp-IV-historySide">
            {toolVersion && tool && (
              <section
                ref={side}
                tabIndex={-1}
                className="jp-IV-sideTool"
                data-tool={tool.tool}
                data-version={toolVersion.version}
              >
                <div className="jp-IV-sectionHead">
                  <h3>
                    {tool.tool === 'check'
                      ? trans.__('Image check of v%1', toolVersion.version)
                      : trans.__(
                          'Attach v%1 to a Studio domain',
                          toolVersion.version
                        )}
                  </h3>
                  <Button small minimal onClick={() => setTool(null)}>
                    {trans.__('Close')}
                  </Button>
                </div>
                {tool.tool === 'check' && toolVersion.base_image && (
                  <DoctorFindings
                    image={toolVersion.base_image}
                    requested={tool.asked}
                  />
                )}
                {tool.tool === 'attach' && (
                  <AttachForm
                    key={toolVersion.version}
                    titled={false}
                    version={toolVersion}
                    onClose={() => setTool(null)}
                  />
                )}
              </section>
            )}
            {pair.length === 2 && (
              <div className="jp-IV-historyCompare">
                <DiffView
                  versions={[pair[0], pair[1]]}
                  onClose={() => setTicked([])}
                />
                <PackagesDiff
                  image={props.image}
                  versions={
                    pair[0].version < pair[1].version
                      ? [pair[0].version, pair[1].version]
                      : [pair[1].version, pair[0].version]
                  }
                />
              </div>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
