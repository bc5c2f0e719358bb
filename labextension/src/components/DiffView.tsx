/** Two versions side by side, every field, with the fields that differ highlighted. */

import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IImageVersion } from '../types';

const FIELDS: (keyof IImageVersion)[] = [
  'version',
  'status',
  'aliases',
  'base_image',
  'container_image',
  'ml_framework',
  'programming_lang',
  'processor',
  'job_type',
  'horovod',
  'release_notes',
  'vendor_guidance',
  'failure_reason',
  'created',
  'modified',
  'arn'
];

function show(value: unknown): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (Array.isArray(value)) {
    return value.length ? [...value].sort().join(', ') : '—';
  }
  return String(value);
}

export function DiffView(props: {
  versions: [IImageVersion, IImageVersion];
  onClose: () => void;
}): JSX.Element {
  const { trans } = usePanel();
  const [a, b] = [...props.versions].sort((x, y) => x.version - y.version);
  const rows = FIELDS.map(field => {
    const left = show(a[field]);
    const right = show(b[field]);
    return { field, left, right, changed: left !== right };
  });
  const changed = rows.filter(row => row.changed).length;
  return (
    <section className="jp-IV-diff" aria-label={trans.__('Compare versions')}>
      <div className="jp-IV-sectionHead">
        <h3>{trans.__('v%1 ↔ v%2', a.version, b.version)}</h3>
        <span className="jp-IV-muted">
          {trans._n('%1 field differs', '%1 fields differ', changed)}
        </span>
        <Button small minimal onClick={props.onClose}>
          {trans.__('Close')}
        </Button>
      </div>
      <table className="jp-IV-diffTable">
        <thead>
          <tr>
            <th>{trans.__('Field')}</th>
            <th>{trans.__('v%1', a.version)}</th>
            <th>{trans.__('v%1', b.version)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr
              key={row.field}
              data-field={row.field}
              data-changed={row.changed ? 'true' : 'false'}
              className={row.changed ? 'jp-IV-diff-changed' : undefined}
            >
              <th scope="row">{row.field}</th>
              <td>{row.left}</td>
              <td>{row.right}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
