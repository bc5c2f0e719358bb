/**
 * Two versions side by side: the fields that matter, the differing part of each value marked;
 * the fields that always differ (version, ARN, times, resolved image) behind a toggle.
 */

import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { digestOf, enumWords, fieldLabel, localTime } from '../labels';
import { IImageVersion } from '../types';

/** What people compare: metadata, aliases, base image and digest. */
export const KEY_FIELDS = [
  'status',
  'aliases',
  'base_image',
  'digest',
  'ml_framework',
  'programming_lang',
  'processor',
  'job_type',
  'horovod',
  'vendor_guidance',
  'release_notes',
  'failure_reason'
] as const;
/** Fields that differ between any two versions; not counted, shown on request. */
export const ALWAYS_DIFFERENT = [
  'version',
  'created',
  'modified',
  'container_image',
  'arn'
] as const;

const ENUMS = new Set(['status', 'processor', 'job_type', 'vendor_guidance']);
const TIMES = new Set(['created', 'modified']);

function raw(v: IImageVersion, field: string): unknown {
  if (field === 'digest') {
    return digestOf(v.container_image);
  }
  return (v as unknown as Record<string, unknown>)[field];
}

/** The value as read, and its API form for the hover (when different). */
export function shown(v: IImageVersion, field: string): [string, string] {
  const value = raw(v, field);
  if (value === null || value === undefined || value === '') {
    return ['—', ''];
  }
  if (Array.isArray(value)) {
    return value.length ? [[...value].sort().join(', '), ''] : ['—', ''];
  }
  if (typeof value === 'boolean') {
    return [value ? 'Yes' : 'No', String(value)];
  }
  if (ENUMS.has(field)) {
    return [enumWords(String(value)), String(value)];
  }
  if (TIMES.has(field)) {
    return [localTime(String(value)), String(value)];
  }
  return [String(value), ''];
}

/** [same start, differing middle, same end] of `text` against `other`. */
export function splitDiff(
  text: string,
  other: string
): [string, string, string] {
  let start = 0;
  const limit = Math.min(text.length, other.length);
  while (start < limit && text[start] === other[start]) {
    start++;
  }
  // Whole words: "cpu" against "gpu", not "c" against "g".
  const word = /[A-Za-z0-9]/;
  while (start > 0 && word.test(text[start - 1])) {
    start--;
  }
  let end = 0;
  while (
    end < limit - start &&
    text[text.length - 1 - end] === other[other.length - 1 - end]
  ) {
    end++;
  }
  while (end > 0 && word.test(text[text.length - end])) {
    end--;
  }
  return [
    text.slice(0, start),
    text.slice(start, text.length - end),
    text.slice(text.length - end)
  ];
}

function Cell(props: {
  value: [string, string];
  other: string;
  changed: boolean;
  list: boolean;
}): JSX.Element {
  const [text, api] = props.value;
  if (!props.changed || text === '—') {
    return <td title={api || undefined}>{text}</td>;
  }
  if (props.list) {
    // Lists (aliases): the items the other side lacks are marked.
    const others = new Set(props.other.split(', '));
    return (
      <td title={api || undefined}>
        {text.split(', ').map((item, i) => (
          <React.Fragment key={item}>
            {i > 0 && ', '}
            {others.has(item) ? (
              item
            ) : (
              <mark className="jp-IV-diffMark">{item}</mark>
            )}
          </React.Fragment>
        ))}
      </td>
    );
  }
  const [head, middle, tail] = splitDiff(text, props.other);
  return (
    <td title={api || undefined}>
      {head}
      {middle && <mark className="jp-IV-diffMark">{middle}</mark>}
      {tail}
    </td>
  );
}

export function DiffView(props: {
  versions: [IImageVersion, IImageVersion];
  onClose: () => void;
}): JSX.Element {
  const { trans } = usePanel();
  const [all, setAll] = React.useState(false);
  const [a, b] = [...props.versions].sort((x, y) => x.version - y.version);
  const rowsOf = (fields: readonly string[]) =>
    fields.map(field => {
      const left = shown(a, field);
      const right = shown(b, field);
      return { field, left, right, changed: left[0] !== right[0] };
    });
  const key = rowsOf(KEY_FIELDS);
  const changed = key.filter(row => row.changed).length;
  const rows = all ? [...key, ...rowsOf(ALWAYS_DIFFERENT)] : key;
  return (
    <section className="jp-IV-diff" aria-label={trans.__('Compare versions')}>
      <div className="jp-IV-sectionHead">
        <h3>{trans.__('v%1 ↔ v%2', a.version, b.version)}</h3>
        <Button small minimal onClick={props.onClose}>
          {trans.__('Close')}
        </Button>
      </div>
      <div className="jp-IV-diffSummary">
        <span className="jp-IV-muted jp-IV-diffCount">
          {changed
            ? trans._n('%1 field differs', '%1 fields differ', changed)
            : trans.__('Same metadata, aliases and image')}
        </span>
        <label className="jp-IV-diffToggle">
          <input
            type="checkbox"
            checked={all}
            onChange={event => setAll(event.target.checked)}
          />
          {trans.__('Show IDs and times')}
        </label>
      </div>
      <table className="jp-IV-diffTable">
        <thead>
          <tr>
            <th scope="col">{trans.__('v%1', a.version)}</th>
            <th scope="col">{trans.__('v%1', b.version)}</th>
          </tr>
        </thead>
        {rows.map(row => (
          <tbody
            key={row.field}
            data-field={row.field}
            data-changed={row.changed ? 'true' : 'false'}
            className={row.changed ? 'jp-IV-diff-changed' : undefined}
          >
            <tr>
              <th
                colSpan={2}
                scope="colgroup"
                className="jp-IV-diffLabel"
                title={row.field}
              >
                {fieldLabel(trans, row.field)}
              </th>
            </tr>
            <tr className="jp-IV-diffValues">
              <Cell
                value={row.left}
                other={row.right[0]}
                changed={row.changed}
                list={row.field === 'aliases'}
              />
              <Cell
                value={row.right}
                other={row.left[0]}
                changed={row.changed}
                list={row.field === 'aliases'}
              />
            </tr>
          </tbody>
        ))}
      </table>
    </section>
  );
}
