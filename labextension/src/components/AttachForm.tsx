/** Attach one version to a SageMaker Studio domain's custom images (POST studio/attach). */

import { Notification } from '@jupyterlab/apputils';
import { Button, HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ApiError } from '../api';
import { usePanel } from '../context';
import { errorText } from '../notify';
import {
  IAttachRequest,
  IDomain,
  IImageVersion,
  Problems,
  StudioAppType
} from '../types';
import { FieldMessage, Spinner } from './common';

interface IAttachValues {
  domain_id: string;
  app_type: StudioAppType;
  kernel_name: string;
  display_name: string;
  uid: string;
  gid: string;
  mount_path: string;
}

const FORM_FIELDS = new Set([
  'domain_id',
  'app_type',
  'kernel_name',
  'display_name',
  'uid',
  'gid',
  'mount_path'
]);

/** The request body, or the problems of fields that cannot be sent as typed. */
function toRequest(
  version: IImageVersion,
  values: IAttachValues,
  trans: { __: (msg: string, ...args: any[]) => string }
): IAttachRequest | Problems {
  const problems: Problems = {};
  const body: IAttachRequest = {
    image_name: version.image_name,
    version: version.version,
    domain_id: values.domain_id.trim(),
    app_type: values.app_type
  };
  if (!body.domain_id) {
    problems.domain_id = trans.__('domain_id is required');
  }
  for (const key of ['uid', 'gid'] as const) {
    const text = values[key].trim();
    if (!text) {
      continue;
    }
    if (/^\d+$/.test(text)) {
      body[key] = Number(text);
    } else {
      problems[key] = trans.__('%1 must be a whole number, not %2', key, text);
    }
  }
  const mount = values.mount_path.trim();
  if (mount) {
    body.mount_path = mount;
  }
  if (values.app_type === 'KernelGateway') {
    for (const key of ['kernel_name', 'display_name'] as const) {
      const text = values[key].trim();
      if (text) {
        body[key] = text;
      }
    }
  }
  return Object.keys(problems).length ? problems : body;
}

export function AttachForm(props: {
  version: IImageVersion;
  onClose: () => void;
  /** False where the form's container already says what it is (the main area's side panel). */
  titled?: boolean;
}): JSX.Element {
  const { client, trans } = usePanel();
  const v = props.version;
  const [values, setValues] = React.useState<IAttachValues>({
    domain_id: '',
    app_type: 'JupyterLab',
    kernel_name: '',
    display_name: '',
    uid: '',
    gid: '',
    mount_path: ''
  });
  const [domains, setDomains] = React.useState<IDomain[]>([]);
  const [problems, setProblems] = React.useState<Problems>({});
  const [message, setMessage] = React.useState('');
  const [sending, setSending] = React.useState(false);
  const touched = React.useRef(false);

  // The domain we run in (Studio), else the only domain there is; the user may type another.
  React.useEffect(() => {
    let live = true;
    void (async () => {
      const [context, found] = await Promise.all([
        client.context().catch(() => null),
        client.domains().catch(() => [] as IDomain[])
      ]);
      if (!live) {
        return;
      }
      setDomains(found);
      const guess =
        context?.studio?.domain_id ||
        (found.length === 1 ? found[0].domain_id : '');
      if (guess && !touched.current) {
        setValues(current => ({ ...current, domain_id: guess }));
      }
    })();
    return () => {
      live = false;
    };
  }, [v.image_name]);

  const set =
    (field: keyof IAttachValues) =>
    (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>): void => {
      touched.current = touched.current || field === 'domain_id';
      setValues({ ...values, [field]: event.target.value });
      // An edited field's old problem no longer applies.
      setProblems(current => {
        const rest = { ...current };
        delete rest[field];
        return rest;
      });
    };

  // The image doctor found errors (409 ImageCheckFailed): offer to attach anyway.
  const [checkFailed, setCheckFailed] = React.useState(false);
  const submit = async (event: React.FormEvent | null, force = false) => {
    event?.preventDefault();
    setCheckFailed(false);
    const request = toRequest(v, values, trans);
    if (!('image_name' in request)) {
      setProblems(request as Problems);
      setMessage('');
      return;
    }
    setSending(true);
    setProblems({});
    setMessage('');
    try {
      const done = await client.attach({
        ...(request as IAttachRequest),
        ...(force ? { force } : {})
      });
      Notification.success(
        trans.__(
          'Attached %1 v%2 to domain %3 as a %4 image (%5)',
          done.image_name,
          done.version,
          done.domain_id,
          done.app_type,
          done.app_image_config
        ),
        { autoClose: 6000 }
      );
      props.onClose();
    } catch (error) {
      const named = error instanceof ApiError && error.hasProblems;
      const found = named ? (error as ApiError).problems : {};
      setProblems(found);
      const unshown = Object.keys(found)
        .filter(key => !FORM_FIELDS.has(key))
        .map(key => found[key]);
      // A 409 says what to do (stop the running apps, or attach to a user profile): all of it.
      setMessage(named ? unshown.join(' ') : errorText(error));
      setCheckFailed(
        error instanceof ApiError && error.code === 'ImageCheckFailed'
      );
    } finally {
      setSending(false);
    }
  };

  const text = (
    field: keyof IAttachValues,
    label: string,
    placeholder = ''
  ) => (
    <div className="jp-IV-field" data-field={field}>
      <label htmlFor={`jp-IV-attach-${field}-${v.version}`}>{label}</label>
      <InputGroup
        id={`jp-IV-attach-${field}-${v.version}`}
        name={field}
        className="jp-IV-input"
        value={values[field]}
        placeholder={placeholder}
        list={field === 'domain_id' ? `jp-IV-domains-${v.version}` : undefined}
        aria-invalid={problems[field] ? true : undefined}
        onChange={set(field)}
      />
      <FieldMessage field={field} message={problems[field]} />
    </div>
  );

  return (
    <form
      className="jp-IV-attach"
      aria-label={trans.__('Attach version %1 to a domain', v.version)}
      onSubmit={event => void submit(event)}
      onKeyDown={event => {
        // Escape closes it, as it does the sidebar's other forms.
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
      noValidate
    >
      {props.titled !== false && (
        <h4>{trans.__('Attach v%1 to a Studio domain', v.version)}</h4>
      )}
      {text(
        'domain_id',
        trans.__('Domain id'),
        domains.length
          ? domains[0].domain_id
          : trans.__('d-… (the local demo domain is listed when seeded)')
      )}
      <datalist id={`jp-IV-domains-${v.version}`}>
        {domains.map(d => (
          <option key={d.domain_id} value={d.domain_id}>
            {d.name ?? ''}
          </option>
        ))}
      </datalist>
      <div className="jp-IV-field" data-field="app_type">
        <label htmlFor={`jp-IV-attach-app_type-${v.version}`}>
          {trans.__('App type')}
        </label>
        <HTMLSelect
          id={`jp-IV-attach-app_type-${v.version}`}
          name="app_type"
          value={values.app_type}
          onChange={set('app_type')}
          options={['JupyterLab', 'KernelGateway', 'CodeEditor']}
        />
        <FieldMessage field="app_type" message={problems.app_type} />
      </div>
      {values.app_type === 'KernelGateway' && (
        <>
          {text('kernel_name', trans.__('Kernel name'), 'python3')}
          {text('display_name', trans.__('Kernel display name'))}
        </>
      )}
      <div className="jp-IV-inline">
        {text('uid', trans.__('UID'), '1000')}
        {text('gid', trans.__('GID'), '100')}
      </div>
      {text('mount_path', trans.__('Mount path'), '/home/sagemaker-user')}
      {message && (
        <div className="jp-IV-formMessage" role="alert">
          {message}
        </div>
      )}
      <div className="jp-IV-formButtons">
        <Button
          type="submit"
          small
          disabled={sending}
          aria-busy={sending}
          className="jp-mod-accept jp-IV-attachSubmit jp-IV-busyButton"
        >
          {sending && <Spinner label={trans.__('Attaching…')} />}
          {trans.__('Attach')}
        </Button>
        {checkFailed && (
          <Button
            type="button"
            small
            className="jp-mod-warn jp-IV-attachForce"
            disabled={sending}
            onClick={() => void submit(null, true)}
          >
            {trans.__('Attach anyway')}
          </Button>
        )}
        <Button type="button" small minimal onClick={props.onClose}>
          {trans.__('Cancel')}
        </Button>
      </div>
    </form>
  );
}
