/** Small pieces shared by the panel's views. Server strings are always React text. */

import { Clipboard, Notification } from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import { copyIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { enumWords, fieldLabel } from '../labels';

export function Spinner(props: { label: string }): JSX.Element {
  return (
    <span
      className="jp-IV-spinner"
      role="progressbar"
      aria-label={props.label}
      title={props.label}
    />
  );
}

/** A version's status; a spinner while it is still moving. */
export function StatusBadge(props: { status: string }): JSX.Element {
  const { trans } = usePanel();
  const moving = props.status === 'CREATING' || props.status === 'DELETING';
  return (
    <span
      className={`jp-IV-status jp-IV-status-${props.status}`}
      data-status={props.status}
      title={props.status}
    >
      {moving && <Spinner label={trans.__('Working…')} />}
      {enumWords(props.status)}
    </span>
  );
}

export function guidanceClass(guidance: string | null): string {
  return `jp-IV-guidance-${guidance || 'NOT_PROVIDED'}`;
}

export function GuidanceBadge(props: { guidance: string | null }): JSX.Element {
  const { trans } = usePanel();
  const value = props.guidance || 'NOT_PROVIDED';
  return (
    <span
      className={`jp-IV-guidance ${guidanceClass(value)}`}
      title={trans.__('Vendor guidance: %1', value)}
      data-guidance={value}
    >
      {enumWords(value)}
    </span>
  );
}

export function AliasTag(props: {
  alias: string;
  onRemove?: () => void;
  busy?: boolean;
}): JSX.Element {
  const { trans } = usePanel();
  return (
    <span className="jp-IV-alias" data-alias={props.alias}>
      {props.alias}
      {props.onRemove && (
        <button
          className="jp-IV-alias-remove"
          type="button"
          disabled={props.busy}
          title={trans.__('Remove alias %1', props.alias)}
          aria-label={trans.__('Remove alias %1', props.alias)}
          onClick={props.onRemove}
        >
          ×
        </button>
      )}
    </span>
  );
}

/** "3 minutes ago", with the exact time on hover. */
export function RelativeTime(props: { value: string | null }): JSX.Element {
  if (!props.value) {
    return <span className="jp-IV-time">—</span>;
  }
  const date = new Date(props.value);
  return (
    <time
      className="jp-IV-time"
      dateTime={props.value}
      title={`${Time.format(date)} (${props.value})`}
    >
      {Time.formatHuman(date)}
    </time>
  );
}

export function CopyButton(props: { text: string; what: string }): JSX.Element {
  const { trans } = usePanel();
  return (
    <button
      type="button"
      className="jp-IV-iconButton jp-IV-copy"
      title={trans.__('Copy %1', props.what)}
      aria-label={trans.__('Copy %1', props.what)}
      onClick={() => {
        Clipboard.copyToSystem(props.text);
        Notification.info(trans.__('Copied %1', props.what), {
          autoClose: 2000
        });
      }}
    >
      <copyIcon.react tag="span" elementSize="small" />
    </button>
  );
}

/**
 * The inline message of one form field, under it: the field's label, then the rule in words
 * ("ML framework 'pytorch' must look like…"). A message that still starts with the API name
 * has it replaced by the label.
 */
export function FieldMessage(props: {
  field: string;
  message?: string;
  children?: React.ReactNode;
}): JSX.Element | null {
  const { trans } = usePanel();
  if (!props.message) {
    return null;
  }
  const label = fieldLabel(trans, props.field);
  const rest = props.message.startsWith(`${props.field} `)
    ? props.message.slice(props.field.length + 1)
    : props.message.replace(/^\w+: /, '');
  return (
    <div className="jp-IV-fieldMessage" data-field={props.field} role="alert">
      {label} {rest}
      {props.children}
    </div>
  );
}

/** The short form of an ECR URI: repository:tag (the full URI on hover). */
export function shortImage(uri: string | null): string {
  if (!uri) {
    return '—';
  }
  const slash = uri.indexOf('/');
  return slash >= 0 ? uri.slice(slash + 1) : uri;
}
