/**
 * Compare's Packages section: what changed in the packages from one version to the other
 * (GET /diff), as changed / added / removed with their counts in the heading, filterable, the
 * most significant change first (the server's order). The read can be cancelled.
 */

import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IPackageDiff } from '../types';
import {
  ecosystemLabel,
  formatBytes,
  ReadProgress,
  useLongRead
} from './LongRead';

type Kind = 'changed' | 'added' | 'removed';

interface IRow {
  kind: Kind;
  ecosystem: string;
  name: string;
  from: string;
  to: string;
  /** major, minor, patch, other (changed rows). */
  change: string;
  downgrade: boolean;
}

export function diffRows(diff: IPackageDiff): IRow[] {
  return [
    ...diff.changed.map(c => ({
      kind: 'changed' as Kind,
      ecosystem: c.ecosystem,
      name: c.name,
      from: c.from,
      to: c.to,
      change: c.kind,
      downgrade: Boolean(c.downgrade)
    })),
    ...diff.added.map(p => ({
      kind: 'added' as Kind,
      ecosystem: p.ecosystem,
      name: p.name,
      from: '',
      to: p.version,
      change: '',
      downgrade: false
    })),
    ...diff.removed.map(p => ({
      kind: 'removed' as Kind,
      ecosystem: p.ecosystem,
      name: p.name,
      from: p.version,
      to: '',
      change: '',
      downgrade: false
    }))
  ];
}

/** A changed fact's side as text: an OS by its name, anything else as it is. */
function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return String(o.pretty_name || [o.id, o.version_id].join(' '));
  }
  return String(value);
}

/** [key, label, "from → to"] of the image-wide facts that changed (OS, Python, CUDA, size). */
function factChanges(
  diff: IPackageDiff,
  labels: Record<string, string>
): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const key of ['os', 'python', 'cuda'] as const) {
    const change = diff[key];
    if (change) {
      out.push([
        key,
        labels[key],
        `${valueText(change.from)} → ${valueText(change.to)}`
      ]);
    }
  }
  const size = diff.size;
  if (size) {
    const which =
      size.from.uncompressed !== null && size.to.uncompressed !== null
        ? 'uncompressed'
        : 'compressed';
    if (size.from[which] !== size.to[which]) {
      out.push([
        'size',
        labels[which],
        `${formatBytes(size.from[which])} → ${formatBytes(size.to[which])}`
      ]);
    }
  }
  return out;
}

export function PackagesDiff(props: {
  image: string;
  /** The two versions, older first. */
  versions: [number, number];
}): JSX.Element {
  const { client, trans } = usePanel();
  const [a, b] = props.versions;
  const [filter, setFilter] = React.useState('');
  const [hidden, setHidden] = React.useState<Kind[]>([]);
  const read = useLongRead<IPackageDiff>(signal =>
    client.diff(`${props.image}:${a}`, `${props.image}:${b}`, signal)
  );
  React.useEffect(() => read.start(), [props.image, a, b]);
  const diff = read.data;
  const rows = diff ? diffRows(diff) : [];
  const needle = filter.trim().toLowerCase();
  const matching = rows.filter(
    r =>
      !needle ||
      [r.name, r.from, r.to, r.ecosystem].some(t =>
        t.toLowerCase().includes(needle)
      )
  );
  const kinds: { kind: Kind; label: string }[] = [
    { kind: 'changed', label: trans.__('Changed') },
    { kind: 'added', label: trans.__('Added') },
    { kind: 'removed', label: trans.__('Removed') }
  ];
  const count = (kind: Kind) => rows.filter(r => r.kind === kind).length;
  const heading = diff
    ? trans.__(
        'Packages: %1 changed, %2 added, %3 removed',
        count('changed'),
        count('added'),
        count('removed')
      )
    : trans.__('Packages');
  const facts = diff
    ? factChanges(diff, {
        os: trans.__('OS'),
        python: trans.__('Python'),
        cuda: trans.__('CUDA'),
        uncompressed: trans.__('Size'),
        compressed: trans.__('Compressed size')
      })
    : [];

  return (
    <section
      className="jp-IV-packagesDiff"
      aria-label={trans.__('Package changes')}
      data-state={read.state}
    >
      <div className="jp-IV-sectionHead">
        <h3>{heading}</h3>
      </div>
      <ReadProgress read={read} label={trans.__('Reading both images…')} />
      {diff && (
        <ul className="jp-IV-factChanges">
          {facts.map(([key, label, change]) => (
            <li key={key} data-fact={key}>
              <strong>{label}</strong> {change}
            </li>
          ))}
          {diff.layers_shared !== undefined && (
            <li data-fact="layers">
              {trans.__(
                '%1 of %2 layers shared',
                diff.layers_shared,
                diff.b.layers ?? '?'
              )}
            </li>
          )}
        </ul>
      )}
      {diff && rows.length === 0 && (
        <div className="jp-IV-muted jp-IV-empty">
          {trans.__('The same packages in v%1 and v%2.', a, b)}
        </div>
      )}
      {diff && rows.length > 0 && (
        <>
          <div className="jp-IV-toolbar jp-IV-packagesToolbar">
            <InputGroup
              className="jp-IV-packageFilter"
              type="search"
              rightIcon="ui-components:search"
              placeholder={trans.__('Filter packages')}
              aria-label={trans.__('Filter package changes')}
              value={filter}
              onChange={event => setFilter(event.target.value)}
            />
            {kinds.map(k => (
              <label
                key={k.kind}
                className="jp-IV-ecosystemToggle"
                data-kind={k.kind}
              >
                <input
                  type="checkbox"
                  checked={!hidden.includes(k.kind)}
                  onChange={event =>
                    setHidden(current =>
                      event.target.checked
                        ? current.filter(x => x !== k.kind)
                        : [...current, k.kind]
                    )
                  }
                />
                {trans.__(
                  '%1 (%2)',
                  k.label,
                  matching.filter(r => r.kind === k.kind).length
                )}
              </label>
            ))}
          </div>
          <table className="jp-IV-diffTable jp-IV-packageDiffTable">
            <thead>
              <tr>
                <th scope="col">{trans.__('Package')}</th>
                <th scope="col">{trans.__('v%1', a)}</th>
                <th scope="col">{trans.__('v%1', b)}</th>
              </tr>
            </thead>
            {kinds
              .filter(k => !hidden.includes(k.kind))
              .map(k => {
                const group = matching.filter(r => r.kind === k.kind);
                if (!group.length) {
                  return null;
                }
                return (
                  <tbody key={k.kind} data-kind={k.kind}>
                    <tr>
                      <th
                        colSpan={3}
                        scope="colgroup"
                        className="jp-IV-diffLabel"
                      >
                        {trans.__('%1 (%2)', k.label, group.length)}
                      </th>
                    </tr>
                    {group.map(r => (
                      <tr
                        key={`${r.ecosystem}\u0000${r.name}`}
                        className="jp-IV-packageChange"
                        data-kind={r.kind}
                        data-name={r.name}
                      >
                        <td title={ecosystemLabel(r.ecosystem)}>
                          {r.kind === 'added'
                            ? '+'
                            : r.kind === 'removed'
                              ? '−'
                              : ''}
                          {r.name}
                          {r.change && (
                            <span
                              className="jp-IV-changeKind"
                              data-change={r.change}
                            >
                              {r.downgrade
                                ? trans.__('%1 downgrade', r.change)
                                : r.change}
                            </span>
                          )}
                          {r.ecosystem !== 'pypi' && (
                            <span className="jp-IV-muted"> {r.ecosystem}</span>
                          )}
                        </td>
                        <td>{r.from || '—'}</td>
                        <td>
                          {r.kind === 'changed' ? (
                            <mark className="jp-IV-diffMark">{r.to}</mark>
                          ) : (
                            r.to || '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                );
              })}
          </table>
          {matching.length === 0 && (
            <div className="jp-IV-muted jp-IV-empty">
              {trans.__('No package change matches “%1”.', filter.trim())}
            </div>
          )}
        </>
      )}
    </section>
  );
}
