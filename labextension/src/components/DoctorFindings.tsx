/** The image doctor's findings for a base image: what stops Studio from starting it. */

import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { errorText } from '../notify';
import { DOCTOR_APP_TYPES, IDoctorReport } from '../types';
import { Spinner } from './common';

const ECR_URI = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/.+/;
const DEBOUNCE_MS = 500;

/**
 * Checks `image` with GET /doctor. `auto`: checks whenever the image changes to an ECR URI
 * (the register form); otherwise on demand (a version's Check image, then its Check again).
 */
export function DoctorFindings(props: {
  image: string;
  auto?: boolean;
  /** Checks asked for from outside (the row menu's Check image): each one checks again. */
  requested?: number;
}): JSX.Element | null {
  const { client, trans } = usePanel();
  const [appType, setAppType] = React.useState<string>('JupyterLab');
  const [report, setReport] = React.useState<IDoctorReport | null>(null);
  const [error, setError] = React.useState('');
  const [loading, setLoading] = React.useState(false);
  const [asked, setAsked] = React.useState(0);
  const image = props.image.trim();
  const requested = props.requested ?? 0;
  const wanted =
    ECR_URI.test(image) && (props.auto || asked > 0 || requested > 0);

  React.useEffect(() => {
    setReport(null);
    setError('');
    if (!wanted) {
      return;
    }
    let live = true;
    const timer = window.setTimeout(
      () => {
        setLoading(true);
        client
          .doctor(image, appType)
          .then(found => live && setReport(found))
          .catch(reason => live && setError(errorText(reason)))
          .finally(() => live && setLoading(false));
      },
      props.auto ? DEBOUNCE_MS : 0
    );
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [image, appType, wanted, asked, requested]);

  if (!ECR_URI.test(image)) {
    return null;
  }
  const errors = report
    ? report.findings.filter(f => f.severity === 'error').length
    : 0;
  const state = loading
    ? 'loading'
    : report
      ? 'done'
      : error
        ? 'failed'
        : 'idle';
  return (
    <div
      className="jp-IV-doctor"
      data-state={state}
      aria-label={trans.__('Image check')}
    >
      <div className="jp-IV-inline">
        <span>{trans.__('Image check for')}</span>
        <HTMLSelect
          aria-label={trans.__('Studio app type')}
          className="jp-IV-doctorAppType"
          value={appType}
          onChange={event => setAppType(event.target.value)}
          options={[...DOCTOR_APP_TYPES]}
        />
        {!props.auto && (
          <Button
            small
            type="button"
            className="jp-IV-doctorCheck"
            disabled={loading}
            onClick={() => setAsked(asked + 1)}
          >
            {trans.__('Check again')}
          </Button>
        )}
        {loading && <Spinner label={trans.__('Checking the image…')} />}
      </div>
      {error && <div className="jp-IV-doctorError">{error}</div>}
      {report && (
        <>
          <div
            className="jp-IV-doctorVerdict"
            data-ok={report.ok ? 'true' : 'false'}
          >
            {report.ok
              ? trans.__('No errors: Studio can start this image.')
              : trans._n(
                  '%1 problem: Studio will not start this image as it is.',
                  '%1 problems: Studio will not start this image as it is.',
                  errors
                )}{' '}
            {trans.__(
              '%1/%2, user %3 (%4/%5)',
              report.platform.os,
              report.platform.architecture,
              report.user.name ?? '?',
              String(report.user.uid),
              String(report.user.gid)
            )}
          </div>
          <ul className="jp-IV-findings">
            {report.findings.map((finding, index) => (
              <li
                key={index}
                className={`jp-IV-finding jp-IV-finding-${finding.severity}`}
                data-severity={finding.severity}
                data-code={finding.code}
              >
                <strong>{finding.severity}</strong> {finding.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
