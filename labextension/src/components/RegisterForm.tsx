/** Register a new version: every field of the spec, checks inline, then live status. */

import { Button, HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ApiError } from '../api';
import { usePanel } from '../context';
import { errorText } from '../notify';
import {
  IImageVersion,
  IObjectSchema,
  JOB_TYPES,
  PROCESSORS,
  Problems,
  SETTLED,
  VENDOR_GUIDANCE
} from '../types';
import { enumWords } from '../labels';
import { aliasesProblem, checkSpec } from '../validation';
import { DraftNotes } from '../contents/DraftNotes';
import { DoctorFindings } from './DoctorFindings';
import { useRegistrationPoll } from './registerPoll';
import { EcrPicker } from './EcrPicker';
import { HorovodField } from './HorovodField';
import { FieldMessage, Spinner, StatusBadge } from './common';
import { FORM_FIELDS, IFormValues, liveProblems, toSpec } from './registerSpec';

export { POLL_MS } from './registerPoll';

export function RegisterForm(props: {
  image: string;
  schema: IObjectSchema | null;
  onClose: (registered: IImageVersion | null) => void;
  /** Every alias of the image -> the version holding it. */
  held?: Record<string, number>;
}): JSX.Element {
  const { client, trans } = usePanel();
  const [values, setValues] = React.useState<IFormValues>({
    image_name: props.image,
    base_image: '',
    aliases: '',
    ml_framework: '',
    programming_lang: '',
    processor: '',
    job_type: '',
    horovod: null,
    release_notes: '',
    vendor_guidance: '',
    create_image: false,
    role_arn: ''
  });
  const [problems, setProblems] = React.useState<Problems>({});
  const [formMessage, setFormMessage] = React.useState('');
  const [submitting, setSubmitting] = React.useState(false);
  const [picking, setPicking] = React.useState(false);
  // Aliases another version holds, moved to the new version once it is CREATED.
  const [moveAfter, setMoveAfter] = React.useState<string[]>([]);
  const [offer, setOffer] = React.useState<string | null>(null);
  const first = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => first.current?.focus(), []);
  const [registered, setRegistered] = React.useState<IImageVersion | null>(
    null
  );

  // Live status: poll the new version until it settles (and move the held aliases to it).
  useRegistrationPoll(registered, setRegistered, moveAfter, error =>
    setFormMessage(errorText(error))
  );

  // The limit is the model's, served in the OpenAPI schema.
  const notesMax = props.schema?.properties.release_notes?.maxLength;

  const enums = (field: string, fallback: readonly string[]) =>
    props.schema?.properties[field]?.enum ?? [...fallback];

  const set =
    (field: keyof IFormValues) =>
    (
      event: React.ChangeEvent<
        HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
      >
    ) => {
      const target = event.target as HTMLInputElement;
      const value = target.type === 'checkbox' ? target.checked : target.value;
      change(field, value);
    };

  /**
   * A new value, checked as it is typed (or picked): the field's message follows the value, so
   * a fixed field never keeps a stale error, as in the notebook panel.
   */
  const change = (field: keyof IFormValues, value: string | boolean | null) => {
    const next = { ...values, [field]: value };
    setValues(next);
    setProblems(liveProblems(next, field, problems, props.schema));
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFormMessage('');
    const spec = toSpec(values);
    if (spec.aliases && moveAfter.length) {
      spec.aliases = spec.aliases.filter(a => !moveAfter.includes(a));
    }
    const { create_image, role_arn, ...checked } = spec;
    const found = checkSpec({ ...checked }, props.schema);
    setOffer(null);
    if (!found.aliases && spec.aliases) {
      const held = aliasesProblem(spec.aliases, props.schema, props.held);
      if (held) {
        found.aliases = held.message;
        setOffer(held.heldBy ? held.heldBy[0] : null);
      }
    }
    if (create_image && !role_arn) {
      found.role_arn = 'is required to create the image';
    }
    setProblems(found);
    if (Object.keys(found).length) {
      return; // nothing is sent while a field breaks a rule
    }
    setSubmitting(true);
    try {
      const version = await client.register(spec.image_name, spec);
      setRegistered(version);
    } catch (error) {
      if (error instanceof ApiError && error.hasProblems) {
        const fields: Problems = {};
        const other: string[] = [];
        for (const [field, message] of Object.entries(error.problems)) {
          if (FORM_FIELDS.has(field)) {
            fields[field] = message;
          } else {
            other.push(message);
          }
        }
        setProblems(fields);
        setFormMessage(other.join('; '));
      } else {
        setFormMessage(errorText(error));
      }
    } finally {
      setSubmitting(false);
    }
  };

  if (registered) {
    const settled = SETTLED.has(registered.status);
    return (
      <section className="jp-IV-register" aria-label={trans.__('Registration')}>
        <h3>
          {settled
            ? trans.__('Registered %1', registered.image_name)
            : trans.__('Registering %1', registered.image_name)}
        </h3>
        <div
          className="jp-IV-liveStatus"
          data-version={registered.version}
          data-status={registered.status}
        >
          <span>{trans.__('Version %1', registered.version)}</span>
          <StatusBadge status={registered.status} />
        </div>
        {registered.failure_reason && (
          <div className="jp-IV-failure">{registered.failure_reason}</div>
        )}
        {formMessage && <div className="jp-IV-formMessage">{formMessage}</div>}
        <div className="jp-IV-formButtons">
          <Button small onClick={() => props.onClose(registered)}>
            {settled
              ? trans.__('Back to history')
              : trans.__('Back (keeps polling)')}
          </Button>
        </div>
      </section>
    );
  }

  const textField = (
    field: keyof IFormValues,
    label: string,
    placeholder = '',
    extra: React.ReactNode = null
  ) => (
    <div className="jp-IV-field" data-field={field}>
      <label htmlFor={`jp-IV-${field}`}>{label}</label>
      <InputGroup
        id={`jp-IV-${field}`}
        name={field}
        className="jp-IV-input"
        value={values[field] as string}
        placeholder={placeholder}
        aria-invalid={problems[field] ? true : undefined}
        onChange={set(field)}
      />
      <FieldMessage field={field} message={problems[field]}>
        {extra}
      </FieldMessage>
    </div>
  );

  const selectField = (
    field: keyof IFormValues,
    label: string,
    options: string[]
  ) => (
    <div className="jp-IV-field" data-field={field}>
      <label htmlFor={`jp-IV-${field}`}>{label}</label>
      <HTMLSelect
        id={`jp-IV-${field}`}
        name={field}
        value={values[field] as string}
        onChange={set(field)}
        options={[
          { value: '', label: trans.__('(not set)') },
          ...options.map(value => ({ value, label: enumWords(value) }))
        ]}
      />
      <FieldMessage field={field} message={problems[field]} />
    </div>
  );

  return (
    <form
      className="jp-IV-register"
      aria-label={trans.__('Register version')}
      onSubmit={event => void submit(event)}
      onKeyDown={event => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose(null);
        }
      }}
      noValidate
    >
      <h3>{trans.__('Register a version')}</h3>
      {textField('image_name', trans.__('Image'))}
      <div className="jp-IV-field" data-field="base_image">
        <label htmlFor="jp-IV-base_image">
          {trans.__('Base image (ECR URI)')}
        </label>
        <div className="jp-IV-inline">
          <InputGroup
            id="jp-IV-base_image"
            name="base_image"
            inputRef={first}
            className="jp-IV-input"
            value={values.base_image}
            placeholder="123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag"
            aria-invalid={problems.base_image ? true : undefined}
            onChange={set('base_image')}
          />
          <Button
            small
            type="button"
            className="jp-IV-pickEcr"
            onClick={() => setPicking(!picking)}
          >
            {picking ? trans.__('Close ECR') : trans.__('ECR…')}
          </Button>
        </div>
        {picking && (
          <EcrPicker
            onPick={uri => {
              change('base_image', uri);
              setPicking(false);
            }}
          />
        )}
        <FieldMessage field="base_image" message={problems.base_image} />
        <DoctorFindings image={values.base_image} auto />
      </div>
      {textField(
        'aliases',
        trans.__('Aliases (comma separated)'),
        '2.3.1, latest',
        offer && (
          <Button
            small
            type="button"
            className="jp-IV-moveHere"
            onClick={() => {
              setMoveAfter([...moveAfter, offer]);
              setOffer(null);
              setProblems({ ...problems, aliases: '' });
            }}
          >
            {trans.__('Move it here once registered')}
          </Button>
        )
      )}
      {moveAfter.length > 0 && (
        <div className="jp-IV-muted jp-IV-moveNote">
          {trans.__(
            '%1 will move to the new version once it is created.',
            moveAfter.join(', ')
          )}
        </div>
      )}
      {textField('ml_framework', trans.__('ML framework'), 'PyTorch 2.3')}
      {textField(
        'programming_lang',
        trans.__('Programming language'),
        'Python 3.11'
      )}
      {selectField(
        'processor',
        trans.__('Processor'),
        enums('processor', PROCESSORS)
      )}
      {selectField(
        'job_type',
        trans.__('Job type'),
        enums('job_type', JOB_TYPES)
      )}
      <HorovodField
        value={values.horovod}
        onChange={value => change('horovod', value)}
        message={problems.horovod}
      />
      <div className="jp-IV-field" data-field="release_notes">
        <label htmlFor="jp-IV-release_notes">{trans.__('Release notes')}</label>
        <textarea
          id="jp-IV-release_notes"
          name="release_notes"
          className="jp-mod-styled jp-IV-input"
          rows={3}
          value={values.release_notes}
          aria-describedby="jp-IV-release_notes-count"
          onChange={set('release_notes')}
        />
        {notesMax !== undefined && (
          <div
            id="jp-IV-release_notes-count"
            className="jp-IV-counter"
            data-over={values.release_notes.length > notesMax}
            aria-live="polite"
          >
            {trans.__('%1 / %2', values.release_notes.length, notesMax)}
          </div>
        )}
        <FieldMessage field="release_notes" message={problems.release_notes} />
        <DraftNotes
          image={props.image}
          values={values}
          onUse={patch => setValues(current => ({ ...current, ...patch }))}
        />
      </div>
      {selectField(
        'vendor_guidance',
        trans.__('Vendor guidance'),
        enums('vendor_guidance', VENDOR_GUIDANCE)
      )}
      <div className="jp-IV-field jp-IV-check" data-field="create_image">
        <label>
          <input
            type="checkbox"
            name="create_image"
            checked={values.create_image}
            onChange={set('create_image')}
          />
          {trans.__('Create the image if it does not exist')}
        </label>
      </div>
      {values.create_image &&
        textField(
          'role_arn',
          trans.__('Role ARN SageMaker pulls with'),
          'arn:aws:iam::123456789012:role/SageMakerImageRole'
        )}
      {formMessage && (
        <div className="jp-IV-formMessage" role="alert">
          {formMessage}
        </div>
      )}
      <div className="jp-IV-formButtons">
        <Button
          type="submit"
          small
          disabled={submitting}
          aria-busy={submitting}
          className="jp-mod-accept jp-IV-busyButton"
        >
          {submitting && <Spinner label={trans.__('Registering…')} />}
          {trans.__('Register')}
        </Button>
        <Button type="button" small minimal onClick={() => props.onClose(null)}>
          {trans.__('Cancel')}
        </Button>
      </div>
    </form>
  );
}
