/** The versions on a time axis: spacing by creation time, gaps where versions were deleted. */

import * as React from 'react';

import { usePanel } from '../context';
import { enumWords, localTime } from '../labels';
import { IImageVersion } from '../types';
import { guidanceClass } from '../components/common';

export function TimeAxis(props: {
  versions: IImageVersion[];
  selected: number | null;
  onSelect: (version: number) => void;
}): JSX.Element {
  const { trans } = usePanel();
  const dated = props.versions
    .filter(v => v.created)
    .map(v => ({ v, t: new Date(v.created as string).getTime() }))
    .sort((a, b) => a.t - b.t);
  const first = dated.length ? dated[0].t : 0;
  const span = dated.length ? dated[dated.length - 1].t - first || 1 : 1;
  const numbers = new Set(props.versions.map(v => v.version));
  const newest = Math.max(0, ...numbers);
  // Numbers below the newest that no longer exist: deleted versions, marked as gaps.
  const deleted = [...Array(newest).keys()]
    .map(i => i + 1)
    .filter(n => !numbers.has(n));
  return (
    <section
      className="jp-IV-timeAxis"
      aria-label={trans.__('Versions over time')}
    >
      <div className="jp-IV-axisTrack">
        {dated.map(({ v, t }) => (
          <button
            key={v.version}
            type="button"
            className={`jp-IV-axisTick ${guidanceClass(v.vendor_guidance)}${
              props.selected === v.version ? ' jp-mod-selected' : ''
            }`}
            data-version={v.version}
            style={{ left: `${((t - first) / span) * 100}%` }}
            title={[
              trans.__('v%1', v.version),
              enumWords(v.status),
              v.aliases.join(', '),
              localTime(v.created)
            ]
              .filter(Boolean)
              .join(' · ')}
            onClick={() => props.onSelect(v.version)}
          >
            <span className="jp-IV-dot" aria-hidden="true" />
            <span className="jp-IV-axisLabel">
              {trans.__('v%1', v.version)}
            </span>
            {v.aliases.length > 0 && (
              <span className="jp-IV-axisAliases">{v.aliases.join(' ')}</span>
            )}
          </button>
        ))}
      </div>
      <div className="jp-IV-axisEnds jp-IV-muted">
        <span>{dated.length ? localTime(dated[0].v.created) : ''}</span>
        {deleted.length > 0 && (
          <span className="jp-IV-axisGaps" data-deleted={deleted.join(',')}>
            {trans.__('Deleted: %1', deleted.map(n => `v${n}`).join(', '))}
          </span>
        )}
        <span>
          {dated.length ? localTime(dated[dated.length - 1].v.created) : ''}
        </span>
      </div>
    </section>
  );
}
