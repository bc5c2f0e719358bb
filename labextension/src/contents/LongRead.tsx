/**
 * A read that may take long (an image's layers from ECR): its state, the seconds it has run,
 * and a Cancel that aborts the request (AbortController on the fetch).
 */

import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ApiError } from '../api';
import { usePanel } from '../context';
import { errorText } from '../notify';
import { Spinner } from '../components/common';

export type ReadState = 'idle' | 'loading' | 'done' | 'failed' | 'cancelled';

export interface ILongRead<T> {
  state: ReadState;
  data: T | null;
  error: string;
  /** The problems of a 400 answer (parameter -> message). */
  problems: Record<string, string>;
  /** Whole seconds since the read started (or that it took). */
  elapsed: number;
  start: () => void;
  cancel: () => void;
}

/**
 * `read` runs on `start()` (and again on each later `start()`, the earlier one aborted); only
 * the newest answer is kept. Leaving the view aborts what is under way.
 */
export function useLongRead<T>(
  read: (signal: AbortSignal) => Promise<T>
): ILongRead<T> {
  const [state, setState] = React.useState<ReadState>('idle');
  const [data, setData] = React.useState<T | null>(null);
  const [error, setError] = React.useState('');
  const [problems, setProblems] = React.useState<Record<string, string>>({});
  const [elapsed, setElapsed] = React.useState(0);
  const current = React.useRef<AbortController | null>(null);
  const started = React.useRef(0);
  const latest = React.useRef(read);
  latest.current = read;

  React.useEffect(() => () => current.current?.abort(), []);
  React.useEffect(() => {
    if (state !== 'loading') {
      return;
    }
    const timer = window.setInterval(
      () => setElapsed(Math.floor((Date.now() - started.current) / 1000)),
      250
    );
    return () => window.clearInterval(timer);
  }, [state]);

  const start = React.useCallback(() => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    started.current = Date.now();
    setState('loading');
    setElapsed(0);
    setError('');
    setProblems({});
    latest
      .current(controller.signal)
      .then(found => {
        if (current.current === controller) {
          setData(found);
          setState('done');
        }
      })
      .catch(reason => {
        if (current.current !== controller) {
          return;
        }
        if (controller.signal.aborted) {
          setState('cancelled');
          return;
        }
        setError(errorText(reason));
        setProblems(reason instanceof ApiError ? reason.problems : {});
        setState('failed');
      })
      .finally(() => {
        if (current.current === controller) {
          setElapsed(Math.floor((Date.now() - started.current) / 1000));
        }
      });
  }, []);

  const cancel = React.useCallback(() => current.current?.abort(), []);
  return { state, data, error, problems, elapsed, start, cancel };
}

/** While a read runs: a spinner, what it does and for how long, and Cancel. */
export function ReadProgress(props: {
  read: ILongRead<unknown>;
  label: string;
  className?: string;
}): JSX.Element | null {
  const { trans } = usePanel();
  const { read } = props;
  if (read.state === 'loading') {
    return (
      <div
        className={`jp-IV-readProgress ${props.className ?? ''}`}
        role="status"
        data-state="loading"
      >
        <Spinner label={props.label} />
        <span>
          {props.label} {trans.__('%1 s', read.elapsed)}
        </span>
        <Button
          small
          minimal
          className="jp-IV-cancelRead"
          onClick={read.cancel}
        >
          {trans.__('Cancel')}
        </Button>
      </div>
    );
  }
  if (read.state === 'cancelled') {
    return (
      <div
        className={`jp-IV-readProgress ${props.className ?? ''}`}
        role="status"
        data-state="cancelled"
      >
        <span className="jp-IV-muted">
          {trans.__('Cancelled after %1 s.', read.elapsed)}
        </span>
        <Button small minimal onClick={read.start}>
          {trans.__('Read again')}
        </Button>
      </div>
    );
  }
  if (read.state === 'failed') {
    return (
      <div className="jp-IV-formMessage jp-IV-readError" role="alert">
        {read.error}
      </div>
    );
  }
  return null;
}

/** Bytes in B, KB, MB or GB (base 1000, as registries show sizes). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) {
    return '—';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** Versions compared by their numeric parts first ("2.10" after "2.9"), then as text. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[^0-9A-Za-z]+/).filter(Boolean);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === undefined) {
      return -1;
    }
    if (y[i] === undefined) {
      return 1;
    }
    const [m, n] = [Number(x[i]), Number(y[i])];
    const order =
      !isNaN(m) && !isNaN(n) ? m - n : x[i] < y[i] ? -1 : x[i] > y[i] ? 1 : 0;
    if (order) {
      return order;
    }
  }
  return 0;
}

/** The ecosystem's name as people read it. */
export function ecosystemLabel(ecosystem: string): string {
  const labels: Record<string, string> = {
    pypi: 'Python (PyPI)',
    conda: 'Conda',
    deb: 'Debian (dpkg)',
    apk: 'Alpine (apk)'
  };
  return labels[ecosystem] ?? ecosystem;
}

export const ECOSYSTEM_ORDER = ['pypi', 'conda', 'deb', 'apk'];
