/** One image: its timeline and history (a page at a time), the register form, the diff. */

import { Notification } from '@jupyterlab/apputils';
import {
  Button,
  downloadIcon,
  tableRowsIcon,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { errorText, notifyError } from '../notify';
import { IImageVersion, IObjectSchema, SETTLED } from '../types';
import { DiffView } from './DiffView';
import { ExportView } from './ExportView';
import { POLL_MS, RegisterForm } from './RegisterForm';
import { Spinner } from './common';
import { notifySettled } from './registerPoll';
import { Timeline } from './Timeline';
import { VersionRow } from './VersionRow';

export const PAGE_SIZE = 10;

function merge(
  old: IImageVersion[],
  incoming: IImageVersion[]
): IImageVersion[] {
  const byVersion = new Map(old.map(v => [v.version, v]));
  for (const v of incoming) {
    byVersion.set(v.version, v);
  }
  return [...byVersion.values()].sort((a, b) => b.version - a.version);
}

export function ImageView(props: {
  image: string;
  schema: IObjectSchema | null;
  refreshToken: number;
}): JSX.Element {
  const { client, trans, openHistory } = usePanel();
  const [mode, setMode] = React.useState<'history' | 'register' | 'export'>(
    'history'
  );
  const [versions, setVersions] = React.useState<IImageVersion[]>([]);
  const [next, setNext] = React.useState<string | null>(null);
  const [aliases, setAliases] = React.useState<Record<string, number>>({});
  const [loading, setLoading] = React.useState(false);
  const [error, setError] = React.useState('');
  const [selected, setSelected] = React.useState<number[]>([]);
  const [comparing, setComparing] = React.useState(false);
  const sentinel = React.useRef<HTMLDivElement>(null);
  const view = React.useRef<HTMLDivElement>(null);
  const lastMode = React.useRef(mode);
  // Focus returns to the button that opened a form once it closes.
  React.useEffect(() => {
    if (mode === 'history' && lastMode.current !== 'history') {
      const opener = lastMode.current === 'register' ? 'register' : 'export';
      view.current
        ?.querySelector<HTMLElement>(`.jp-IV-${opener}Button`)
        ?.focus();
    }
    lastMode.current = mode;
  }, [mode]);
  const loaded = React.useRef(0);
  loaded.current = versions.length;

  /** Load the first page again (as many versions as are shown now) and the aliases. */
  const reload = React.useCallback(async () => {
    setLoading(true);
    setError('');
    try {
      const limit = Math.min(100, Math.max(PAGE_SIZE, loaded.current));
      const [page, found] = await Promise.all([
        client.history(props.image, { limit }),
        client.aliases(props.image)
      ]);
      setVersions(page.versions);
      setNext(page.next);
      setAliases(found);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setLoading(false);
    }
  }, [props.image]);

  const loadMore = async () => {
    if (!next || loading) {
      return;
    }
    setLoading(true);
    try {
      const page = await client.history(props.image, {
        limit: PAGE_SIZE,
        next
      });
      setVersions(current => merge(current, page.versions));
      setNext(page.next);
    } catch (reason) {
      notifyError(trans.__('Could not load more versions'), reason);
    } finally {
      setLoading(false);
    }
  };

  // Another image starts from its first page; a refresh reloads what is shown, in place.
  const shownImage = React.useRef<string | null>(null);
  React.useEffect(() => {
    if (shownImage.current !== props.image) {
      shownImage.current = props.image;
      setVersions([]);
      setSelected([]);
      setComparing(false);
      loaded.current = 0;
    }
    void reload();
  }, [props.image, props.refreshToken]);

  // The next page when the end of the list scrolls into view.
  React.useEffect(() => {
    const target = sentinel.current;
    if (!target || !next || typeof IntersectionObserver === 'undefined') {
      return;
    }
    const observer = new IntersectionObserver(entries => {
      if (entries.some(entry => entry.isIntersecting)) {
        void loadMore();
      }
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [next, loading, mode]);

  // Versions still CREATING (or DELETING) are polled until they settle.
  const moving = versions
    .filter(v => !SETTLED.has(v.status))
    .map(v => v.version);
  React.useEffect(() => {
    if (!moving.length) {
      return;
    }
    const timer = window.setTimeout(async () => {
      const found = await Promise.all(
        moving.map(n => client.version(props.image, n).catch(() => null))
      );
      const gone = moving.filter((n, i) => found[i] === null);
      // Settled while the register form was left: told wherever the user is now.
      for (const v of found) {
        if (v && SETTLED.has(v.status)) {
          notifySettled(trans, v);
        }
      }
      setVersions(current =>
        merge(
          current.filter(v => !gone.includes(v.version)),
          found.filter((v): v is IImageVersion => v !== null)
        )
      );
      if (gone.length) {
        void reload(); // a deleted version's aliases went with it
      }
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [moving.join(','), versions]);

  const onChanged = (updated: IImageVersion | null, reloadAll: boolean) => {
    if (updated) {
      setVersions(current => merge(current, [updated]));
    }
    if (reloadAll || !updated) {
      void reload();
    }
  };

  const select = (version: number, on: boolean) => {
    // A third tick is refused out loud, never by silently dropping the oldest.
    if (on && selected.length >= 2 && !selected.includes(version)) {
      Notification.warning(
        trans.__(
          'Compare takes two versions: v%1 and v%2 are selected. Clear one first.',
          ...selected
        ),
        { autoClose: 5000 }
      );
      return;
    }
    setSelected(current => {
      const rest = current.filter(n => n !== version);
      return on ? [...rest, version] : rest;
    });
  };

  if (mode === 'register') {
    return (
      <RegisterForm
        image={props.image}
        schema={props.schema}
        held={aliases}
        onClose={registered => {
          setMode('history');
          if (registered) {
            setVersions(current => merge(current, [registered]));
            void reload();
          }
        }}
      />
    );
  }

  if (mode === 'export') {
    return (
      <ExportView image={props.image} onClose={() => setMode('history')} />
    );
  }

  /** Arrow keys move focus between rows (to each row's expand button). */
  const moveBetweenRows = (event: React.KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      return;
    }
    const target = event.target as HTMLElement;
    if (
      target.matches('input[type="text"], input:not([type]), textarea, select')
    ) {
      return;
    }
    const rows = [
      ...event.currentTarget.querySelectorAll<HTMLElement>('.jp-IV-row')
    ];
    const at = rows.findIndex(r => r.contains(target));
    const next = rows[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (at >= 0 && next) {
      event.preventDefault();
      next.querySelector<HTMLElement>('.jp-IV-expand')?.focus();
    }
  };

  const pair = selected
    .map(n => versions.find(v => v.version === n))
    .filter((v): v is IImageVersion => v !== undefined);

  return (
    <div className="jp-IV-imageView" ref={view}>
      {/* One line at any width: the two main actions as words, the others as icons. */}
      <div className="jp-IV-toolbar jp-IV-imageToolbar">
        <Button
          small
          className="jp-IV-registerButton"
          title={trans.__('Register a new version of %1', props.image)}
          onClick={() => setMode('register')}
        >
          {trans.__('Register')}
        </Button>
        <Button
          small
          className="jp-IV-compareButton"
          disabled={pair.length !== 2}
          title={trans.__('Select two versions to compare')}
          onClick={() => setComparing(true)}
        >
          {trans.__('Compare (%1/2)', pair.length)}
        </Button>
        <span className="jp-IV-spacer">
          {loading && <Spinner label={trans.__('Loading versions')} />}
        </span>
        {openHistory && (
          <ToolbarButtonComponent
            className="jp-IV-historyButton"
            icon={tableRowsIcon}
            tooltip={trans.__('Open the full history in the main area')}
            onClick={() => openHistory(props.image)}
            enabled={true}
          />
        )}
        <ToolbarButtonComponent
          className="jp-IV-exportButton"
          icon={downloadIcon}
          tooltip={trans.__(
            'Export the history as CloudFormation, CDK or Terraform code'
          )}
          onClick={() => setMode('export')}
          enabled={true}
        />
      </div>
      {comparing && pair.length === 2 && (
        <DiffView
          versions={[pair[0], pair[1]]}
          onClose={() => setComparing(false)}
        />
      )}
      {!error && versions.length > 0 && <Timeline versions={versions} />}
      {error && (
        // What failed and a Retry; the rows it could not refresh are not shown as if current.
        <div className="jp-IV-formMessage jp-IV-loadError" role="alert">
          <div>
            {trans.__('Could not load the history of %1:', props.image)} {error}
          </div>
          <Button
            small
            className="jp-IV-retry"
            disabled={loading}
            onClick={() => void reload()}
          >
            {trans.__('Retry')}
          </Button>
        </div>
      )}
      {!loading && !error && versions.length === 0 && (
        <div className="jp-IV-muted jp-IV-empty">
          {trans.__('No versions yet: register one.')}
        </div>
      )}
      <ul
        className="jp-IV-history"
        aria-label={trans.__('Version history')}
        onKeyDown={moveBetweenRows}
      >
        {(error ? [] : versions).map(v => (
          <VersionRow
            key={v.version}
            version={v}
            aliases={aliases}
            selected={selected.includes(v.version)}
            onSelect={on => select(v.version, on)}
            onChanged={onChanged}
          />
        ))}
      </ul>
      {next && (
        <div ref={sentinel} className="jp-IV-more">
          <Button
            small
            minimal
            disabled={loading}
            onClick={() => void loadMore()}
          >
            {trans.__('Load more')}
          </Button>
        </div>
      )}
    </div>
  );
}
