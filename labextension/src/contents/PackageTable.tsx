/**
 * An image's packages: one table grouped by ecosystem, a filter on any word (name, version,
 * installer, location), ecosystem toggles with their counts, and sortable columns.
 */

import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { SortHeader } from '../components/SortHeader';
import { usePanel } from '../context';
import { IPackage } from '../types';
import { compareVersions, ECOSYSTEM_ORDER, ecosystemLabel } from './LongRead';

type SortKey = 'name' | 'version' | 'installer' | 'location';

function compare(key: SortKey, a: IPackage, b: IPackage): number {
  if (key === 'version') {
    return compareVersions(a.version, b.version);
  }
  const [x, y] = [a[key].toLowerCase(), b[key].toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The ecosystems present, in the usual order (others after, by name). */
export function ecosystemsOf(packages: { ecosystem: string }[]): string[] {
  const present = [...new Set(packages.map(p => p.ecosystem))];
  const rank = (e: string) => {
    const at = ECOSYSTEM_ORDER.indexOf(e);
    return at < 0 ? ECOSYSTEM_ORDER.length : at;
  };
  return present.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

export function PackageTable(props: { packages: IPackage[] }): JSX.Element {
  const { trans } = usePanel();
  const [filter, setFilter] = React.useState('');
  const [hidden, setHidden] = React.useState<string[]>([]);
  const [sort, setSort] = React.useState<{ key: SortKey; up: boolean }>({
    key: 'name',
    up: true
  });
  const ecosystems = ecosystemsOf(props.packages);
  const needle = filter.trim().toLowerCase();
  const matching = props.packages.filter(
    p =>
      !needle ||
      [p.name, p.version, p.installer, p.location].some(text =>
        text.toLowerCase().includes(needle)
      )
  );
  const columns: { key: SortKey; label: string }[] = [
    { key: 'name', label: trans.__('Package') },
    { key: 'version', label: trans.__('Version') },
    { key: 'installer', label: trans.__('Installer') },
    { key: 'location', label: trans.__('Location') }
  ];
  const shownGroups = ecosystems.filter(e => !hidden.includes(e));
  const total = matching.filter(p => shownGroups.includes(p.ecosystem)).length;

  return (
    <section
      className="jp-IV-packages"
      aria-label={trans.__('Packages')}
      data-count={total}
    >
      <div className="jp-IV-toolbar jp-IV-packagesToolbar">
        <InputGroup
          className="jp-IV-packageFilter"
          type="search"
          rightIcon="ui-components:search"
          placeholder={trans.__('Filter packages')}
          aria-label={trans.__('Filter packages')}
          value={filter}
          onChange={event => setFilter(event.target.value)}
        />
        {ecosystems.map(e => {
          const on = !hidden.includes(e);
          const count = matching.filter(p => p.ecosystem === e).length;
          return (
            <label key={e} className="jp-IV-ecosystemToggle" data-ecosystem={e}>
              <input
                type="checkbox"
                checked={on}
                onChange={event =>
                  setHidden(current =>
                    event.target.checked
                      ? current.filter(x => x !== e)
                      : [...current, e]
                  )
                }
              />
              {trans.__('%1 (%2)', ecosystemLabel(e), count)}
            </label>
          );
        })}
        <span className="jp-IV-muted jp-IV-packageCount" aria-live="polite">
          {needle
            ? trans.__(
                '%1 of %2 packages',
                total,
                props.packages.filter(p => shownGroups.includes(p.ecosystem))
                  .length
              )
            : trans._n('%1 package', '%1 packages', total)}
        </span>
      </div>
      <table className="jp-IV-historyTable jp-IV-packageTable">
        <thead>
          <tr>
            {columns.map(c => (
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
        {shownGroups.map(e => {
          const rows = matching
            .filter(p => p.ecosystem === e)
            .sort((a, b) => {
              const order = compare(sort.key, a, b) || compare('name', a, b);
              return sort.up ? order : -order;
            });
          if (!rows.length) {
            return null;
          }
          return (
            <tbody key={e} data-ecosystem={e}>
              <tr className="jp-IV-groupHead">
                <th colSpan={4} scope="colgroup">
                  {ecosystemLabel(e)}{' '}
                  <span className="jp-IV-muted">
                    {trans._n('%1 package', '%1 packages', rows.length)}
                  </span>
                </th>
              </tr>
              {rows.map(p => (
                <tr
                  key={`${p.name}\u0000${p.version}\u0000${p.location}`}
                  data-name={p.name}
                >
                  <td data-column="name">{p.name}</td>
                  <td data-column="version">{p.version}</td>
                  <td data-column="installer">{p.installer || '—'}</td>
                  <td data-column="location" title={p.location}>
                    {p.location || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          );
        })}
      </table>
      {total === 0 && (
        <div className="jp-IV-muted jp-IV-empty">
          {needle
            ? trans.__('No package matches “%1”.', filter.trim())
            : trans.__('No packages found in this image.')}
        </div>
      )}
    </section>
  );
}
