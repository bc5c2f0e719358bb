/**
 * The versions on a time axis: spacing by creation time; deleted versions (numbers missing from
 * 1..newest) drawn as hollow dashed markers where they would have been, between their neighbours.
 */

import * as React from 'react';

import { usePanel } from '../context';
import { enumWords, localTime } from '../labels';
import { IImageVersion } from '../types';
import { guidanceClass } from '../components/common';

interface IPoint {
  version: number;
  t: number;
}

/** Where the deleted numbers lie: interpolated between the versions around them. */
export function deletedPoints(dated: IPoint[], newest: number): IPoint[] {
  if (!dated.length) {
    return [];
  }
  const byNumber = [...dated].sort((a, b) => a.version - b.version);
  const step =
    byNumber.length > 1
      ? (byNumber[byNumber.length - 1].t - byNumber[0].t) /
        (byNumber[byNumber.length - 1].version - byNumber[0].version)
      : 60000;
  const known = new Set(dated.map(p => p.version));
  const points: IPoint[] = [];
  for (let n = 1; n <= newest; n++) {
    if (known.has(n)) {
      continue;
    }
    const before = byNumber.filter(p => p.version < n).pop();
    const after = byNumber.find(p => p.version > n);
    let t: number;
    if (before && after) {
      const share = (n - before.version) / (after.version - before.version);
      t = before.t + (after.t - before.t) * share;
    } else if (after) {
      t = after.t - step * (after.version - n);
    } else {
      t = (before as IPoint).t + step * (n - (before as IPoint).version);
    }
    points.push({ version: n, t });
  }
  return points;
}

/**
 * Each point's place on the axis, 0..1: by time, but never closer to the one before than a
 * share of the even spacing, so versions made at the same moment do not hide each other; the
 * order (time, then number) is kept.
 */
export function spread(points: IPoint[]): Map<number, number> {
  const sorted = [...points].sort((a, b) => a.t - b.t || a.version - b.version);
  const places = new Map<number, number>();
  if (sorted.length < 2) {
    sorted.forEach(p => places.set(p.version, 0.5));
    return places;
  }
  const first = sorted[0].t;
  const span = sorted[sorted.length - 1].t - first || 1;
  const least = 0.8 / (sorted.length - 1);
  let last = -least;
  const raw = sorted.map(p => {
    last = Math.max((p.t - first) / span, last + least);
    return last;
  });
  const end = Math.max(1, last);
  sorted.forEach((p, i) => places.set(p.version, raw[i] / end));
  return places;
}

/**
 * How wide each point's labels may be, as a share of the axis: the distance to its nearest
 * neighbour, so that neighbouring labels never run into each other (they end in "…"; the
 * tooltip has them whole).
 */
export function labelRoom(places: Map<number, number>): Map<number, number> {
  const sorted = [...places.entries()].sort((a, b) => a[1] - b[1]);
  const room = new Map<number, number>();
  sorted.forEach(([version, at], i) => {
    const before = i > 0 ? at - sorted[i - 1][1] : Infinity;
    const after = i < sorted.length - 1 ? sorted[i + 1][1] - at : Infinity;
    const nearest = Math.min(before, after);
    room.set(version, Number.isFinite(nearest) ? nearest : 1);
  });
  return room;
}

export function TimeAxis(props: {
  versions: IImageVersion[];
  selected: number | null;
  onSelect: (version: number) => void;
}): JSX.Element {
  const { trans } = usePanel();
  const dated: (IPoint & { v: IImageVersion })[] = props.versions
    .filter(v => v.created)
    .map(v => ({
      version: v.version,
      v,
      t: new Date(v.created as string).getTime()
    }))
    .sort((a, b) => a.t - b.t);
  const newest = Math.max(0, ...props.versions.map(v => v.version));
  const deleted = deletedPoints(dated, newest);
  const at = spread([...dated, ...deleted]);
  // The track is inset so the first and last labels (and their aliases) stay inside it.
  const left = (p: IPoint) => `${(at.get(p.version) ?? 0) * 100}%`;
  const room = labelRoom(at);
  const place = (p: IPoint) => ({
    left: left(p),
    maxWidth: `calc(${(room.get(p.version) ?? 1) * 100}% - 4px)`
  });
  return (
    <section
      className="jp-IV-timeAxis"
      aria-label={trans.__('Versions over time')}
      data-deleted={deleted.map(p => p.version).join(',')}
    >
      <div className="jp-IV-axisTrack">
        {deleted.map(p => (
          <span
            key={`gap-${p.version}`}
            className="jp-IV-axisGap"
            data-version={p.version}
            style={place(p)}
            title={trans.__('v%1 was deleted', p.version)}
          >
            <span className="jp-IV-gapDot" aria-hidden="true" />
            <span className="jp-IV-axisLabel">
              {trans.__('v%1', p.version)}
            </span>
          </span>
        ))}
        {dated.map(({ v, ...p }) => (
          <button
            key={v.version}
            type="button"
            className={`jp-IV-axisTick ${guidanceClass(v.vendor_guidance)}${
              props.selected === v.version ? ' jp-mod-selected' : ''
            }${v.status === 'CREATE_FAILED' ? ' jp-IV-tick-failed' : ''}`}
            data-version={v.version}
            style={place(p)}
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
            {/* A failed version: the sidebar's red ×, one mark in both views. */}
            <span className="jp-IV-dot" aria-hidden="true">
              {v.status === 'CREATE_FAILED' ? '×' : ''}
            </span>
            <span className="jp-IV-axisLabel">
              {trans.__('v%1', v.version)}
            </span>
            {v.aliases.map(alias => (
              <span key={alias} className="jp-IV-axisAliases">
                {alias}
              </span>
            ))}
          </button>
        ))}
      </div>
      <div className="jp-IV-axisEnds jp-IV-muted">
        <span>{dated.length ? localTime(dated[0].v.created) : ''}</span>
        {deleted.length > 0 && (
          <span className="jp-IV-axisLegend">
            <span className="jp-IV-gapDot" aria-hidden="true" />{' '}
            {trans.__('deleted')}
          </span>
        )}
        <span>
          {dated.length ? localTime(dated[dated.length - 1].v.created) : ''}
        </span>
      </div>
    </section>
  );
}
