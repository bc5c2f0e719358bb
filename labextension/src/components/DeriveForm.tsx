/**
 * Derive a new version from a version without Docker (POST derive, then GET derive/{id}):
 * requirements text, tag, register and alias; the plan, then the progress, then the new row.
 */

import { Button, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ApiError } from '../api';
import { usePanel } from '../context';
import { errorText } from '../notify';
import { IDeriveJob, IImageVersion, Problems } from '../types';
import { FieldMessage, Spinner } from './common';

const POLL_MS = 500;
const STATES = [
  'planning',
  'downloading',
  'pushing',
  'checking',
  'registering'
];

export function DeriveForm(props: {
  version: IImageVersion;
  onClose: () => void;
  /** The derivation registered a version: reload the history so its row appears. */
  onRegistered: (version: IImageVersion) => void;
}): JSX.Element {
  const { client, trans } = usePanel();
  const v = props.version;
  const [requirements, setRequirements] = React.useState('');
  const [tag, setTag] = React.useState(`v${v.version}-derived`);
  const [register, setRegister] = React.useState(true);
  const [alias, setAlias] = React.useState('');
  const [job, setJob] = React.useState<IDeriveJob | null>(null);
  const [problems, setProblems] = React.useState<Problems>({});
  const [message, setMessage] = React.useState('');
  const running =
    job !== null && job.state !== 'done' && job.state !== 'failed';

  React.useEffect(() => {
    if (!job || !running) {
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      client
        .deriveJob(job.id)
        .then(next => {
          if (!live) {
            return;
          }
          setJob(next);
          if (next.state === 'done' && next.result?.version) {
            props.onRegistered(next.result.version);
          }
          if (next.state === 'failed' && next.error) {
            setProblems(next.error.problems ?? {});
            setMessage(next.error.message);
          }
        })
        .catch(reason => live && setMessage(errorText(reason)));
    }, POLL_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [job, running]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setProblems({});
    setMessage('');
    try {
      const body = {
        target: `${v.image_name}:${v.version}`,
        tag: tag.trim(),
        requirements,
        register,
        ...(register && alias.trim() ? { alias: alias.trim() } : {})
      };
      setJob(await client.derive(body));
    } catch (error) {
      const named = error instanceof ApiError && error.hasProblems;
      setProblems(named ? (error as ApiError).problems : {});
      setMessage(named ? '' : errorText(error));
    }
  };

  const plan = job?.plan;
  const progress = job?.progress;
  const id = `jp-IV-derive-${v.version}`;
  return (
    <form
      className="jp-IV-attach jp-IV-derive"
      aria-label={trans.__('Derive a new version from version %1', v.version)}
      onSubmit={event => void submit(event)}
      noValidate
    >
      <h4>{trans.__('Derive a new version from v%1', v.version)}</h4>
      <div className="jp-IV-field" data-field="requirements">
        <label htmlFor={`${id}-requirements`}>
          {trans.__('Requirements (requirements.txt)')}
        </label>
        <textarea
          id={`${id}-requirements`}
          name="requirements"
          className="jp-IV-textarea"
          rows={4}
          value={requirements}
          placeholder="polars>=1"
          disabled={running}
          onChange={event => setRequirements(event.target.value)}
        />
        <FieldMessage field="pip" message={problems.pip} />
      </div>
      <div className="jp-IV-field" data-field="tag">
        <label htmlFor={`${id}-tag`}>{trans.__('Tag')}</label>
        <InputGroup
          id={`${id}-tag`}
          name="tag"
          className="jp-IV-input"
          value={tag}
          disabled={running}
          aria-invalid={problems.tag ? true : undefined}
          onChange={event => setTag(event.target.value)}
        />
        <FieldMessage field="tag" message={problems.tag} />
      </div>
      <label className="jp-IV-check">
        <input
          type="checkbox"
          name="register"
          checked={register}
          disabled={running}
          onChange={event => setRegister(event.target.checked)}
        />
        {trans.__('Register as the next version')}
      </label>
      {register && (
        <div className="jp-IV-field" data-field="alias">
          <label htmlFor={`${id}-alias`}>{trans.__('Alias (optional)')}</label>
          <InputGroup
            id={`${id}-alias`}
            name="alias"
            className="jp-IV-input"
            value={alias}
            disabled={running}
            onChange={event => setAlias(event.target.value)}
          />
          <FieldMessage field="alias" message={problems.alias} />
        </div>
      )}
      {plan && (
        <div className="jp-IV-derivePlan" aria-label={trans.__('Plan')}>
          <strong>{trans.__('Plan')}</strong>{' '}
          <span className="jp-IV-muted">{plan.target.site_packages}</span>
          <ul>
            {plan.add.map(p => (
              <li key={p.name}>{trans.__('add %1 %2', p.name, p.version)}</li>
            ))}
            {plan.upgrade.map(p => (
              <li key={p.name}>
                {trans.__('upgrade %1 %2 → %3', p.name, p.replaces, p.version)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {job && (
        <div className="jp-IV-deriveState" role="status" data-state={job.state}>
          {running && <Spinner label={job.state} />}
          {job.state === 'done'
            ? job.result?.version
              ? trans.__('Registered v%1', job.result.version.version)
              : trans.__('Pushed %1', job.result?.pushed?.uri ?? '')
            : job.state === 'failed'
              ? trans.__('Failed')
              : trans.__(
                  '%1 (step %2 of %3)',
                  job.state,
                  STATES.indexOf(job.state) + 1,
                  STATES.length
                )}
          {progress && progress.bytes_total > 0 && (
            <progress
              className="jp-IV-deriveProgress"
              max={progress.bytes_total}
              value={progress.bytes_sent}
              title={trans.__(
                '%1 of %2 bytes uploaded',
                progress.bytes_sent,
                progress.bytes_total
              )}
            />
          )}
        </div>
      )}
      {message && (
        <div className="jp-IV-formMessage" role="alert">
          {message}
        </div>
      )}
      <div className="jp-IV-formButtons">
        <Button
          type="submit"
          small
          disabled={running}
          aria-busy={running}
          className="jp-mod-accept jp-IV-deriveSubmit jp-IV-busyButton"
        >
          {trans.__('Derive')}
        </Button>
        <Button type="button" small minimal onClick={props.onClose}>
          {job?.state === 'done' ? trans.__('Close') : trans.__('Cancel')}
        </Button>
      </div>
    </form>
  );
}
