/**
 * What one version holds, in the main area: the OS, Python, CUDA and size summary on top, then
 * its packages grouped by ecosystem. The read (GET /contents) shows its progress and can be
 * cancelled.
 */

import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IInventory } from '../types';
import { formatBytes, ReadProgress, useLongRead } from './LongRead';
import { PackageTable } from './PackageTable';

function Summary(props: { inventory: IInventory }): JSX.Element {
  const { trans } = usePanel();
  const inv = props.inventory;
  const fact = (key: string, label: string, value: React.ReactNode) => (
    <div className="jp-IV-fact" data-fact={key}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  const os =
    inv.os.pretty_name ||
    [inv.os.id, inv.os.version_id].filter(Boolean).join(' ') ||
    '—';
  const defaultPython = inv.python.find(p => p.default) ?? inv.python[0];
  const others = inv.python.filter(p => p !== defaultPython);
  return (
    <dl className="jp-IV-contentsSummary">
      {fact('os', trans.__('OS'), os)}
      {fact('architecture', trans.__('Architecture'), inv.architecture || '—')}
      {fact(
        'python',
        trans.__('Python'),
        defaultPython ? (
          <>
            <span title={defaultPython.path}>
              {trans.__('%1 (%2)', defaultPython.version, defaultPython.path)}
            </span>
            {others.length > 0 && (
              <span
                className="jp-IV-muted"
                title={others.map(p => `${p.version} ${p.path}`).join('\n')}
              >
                {' '}
                {trans._n('+%1 other', '+%1 others', others.length)}
              </span>
            )}
          </>
        ) : (
          '—'
        )
      )}
      {fact('cuda', trans.__('CUDA'), inv.cuda || trans.__('none'))}
      {fact(
        'size',
        trans.__('Size'),
        trans.__(
          '%1 compressed, %2 uncompressed',
          formatBytes(inv.size.compressed),
          formatBytes(inv.size.uncompressed)
        )
      )}
      {fact(
        'layers',
        trans.__('Layers'),
        inv.cached || inv.bytes_read === 0
          ? trans.__('%1 (all from the cache, 0 bytes read)', inv.layers)
          : trans.__('%1 (%2 read)', inv.layers, formatBytes(inv.bytes_read))
      )}
      {fact(
        'digest',
        trans.__('Digest'),
        <span className="jp-IV-code" title={inv.digest}>
          {inv.digest}
        </span>
      )}
    </dl>
  );
}

export function ContentsView(props: {
  image: string;
  version: number;
}): JSX.Element {
  const { client, trans } = usePanel();
  const target = `${props.image}:${props.version}`;
  const read = useLongRead<IInventory>(signal =>
    client.contents(target, signal)
  );
  React.useEffect(() => read.start(), [target]);
  const inventory = read.data;
  return (
    <div
      className="jp-IV-contentsView jp-ImageVersions"
      data-state={read.state}
      data-target={target}
    >
      <div className="jp-IV-toolbar">
        <h2 className="jp-IV-title">
          {trans.__('Contents of %1 v%2', props.image, props.version)}
        </h2>
        <Button
          small
          className="jp-IV-reload"
          onClick={read.start}
          disabled={read.state === 'loading'}
        >
          {trans.__('Read again')}
        </Button>
      </div>
      <ReadProgress
        read={read}
        label={trans.__('Reading the image’s layers from ECR…')}
      />
      {inventory && <Summary inventory={inventory} />}
      {inventory && <PackageTable packages={inventory.packages} />}
    </div>
  );
}
