/**
 * One version of the history in the sidebar: one layout for every row (five single lines, so
 * rows have one height at any width), its actions in the "⋯" menu, the details on demand.
 */

import { caretDownIcon, caretRightIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { enumWords } from '../labels';
import { AddAlias } from './AddAlias';
import { AttachForm } from './AttachForm';
import { DeriveForm } from './DeriveForm';
import { DoctorFindings } from './DoctorFindings';
import { RowMenuButton } from './RowMenuButton';
import { IImageVersion } from '../types';
import { IVersionActions, useVersionActions } from './versionActions';
import {
  AliasTag,
  CopyButton,
  GuidanceBadge,
  RelativeTime,
  shortImage,
  StatusBadge
} from './common';

/** Alias tags shown on the row; the others as "+N" (all of them in the details). */
const ROW_ALIASES = 2;

export interface IVersionRowProps {
  version: IImageVersion;
  /** Every alias of the image -> the version holding it. */
  aliases: Record<string, number>;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  /** A change was made: the version as the server answered, or null when deleted. */
  onChanged: (updated: IImageVersion | null, reloadAll: boolean) => void;
}

export function VersionRow(props: IVersionRowProps): JSX.Element {
  const { trans } = usePanel();
  const v = props.version;
  const actions = useVersionActions(v, props.onChanged);
  const [expanded, setExpanded] = React.useState(false);
  const [attaching, setAttaching] = React.useState(false);
  const [deriving, setDeriving] = React.useState(false);
  const [checks, setChecks] = React.useState(0);
  // AWS deletes in the background: greyed, a spinner, no actions; ImageView polls it away.
  const deleting = v.status === 'DELETING';
  const busy = Boolean(actions.working) || deleting;

  const meta = [
    v.ml_framework,
    v.programming_lang,
    v.processor,
    v.job_type && enumWords(v.job_type)
  ]
    .filter(Boolean)
    .join(' · ');
  const hidden = v.aliases.slice(ROW_ALIASES);

  return (
    <li
      className={`jp-IV-row${props.selected ? ' jp-mod-selected' : ''}${
        deleting ? ' jp-IV-deleting' : ''
      }`}
      aria-busy={busy}
      data-version={v.version}
      data-status={v.status}
    >
      <div className="jp-IV-rowHead">
        <input
          type="checkbox"
          className="jp-IV-select"
          checked={props.selected}
          title={trans.__('Select to compare')}
          aria-label={trans.__('Select version %1 to compare', v.version)}
          onChange={event => props.onSelect(event.target.checked)}
        />
        <button
          type="button"
          className="jp-IV-iconButton jp-IV-expand"
          aria-expanded={expanded && !deleting}
          disabled={deleting}
          title={expanded ? trans.__('Hide details') : trans.__('Details')}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? (
            <caretDownIcon.react tag="span" elementSize="small" />
          ) : (
            <caretRightIcon.react tag="span" elementSize="small" />
          )}
        </button>
        <span className="jp-IV-versionNumber">
          {trans.__('v%1', v.version)}
        </span>
        <StatusBadge status={v.status} />
        <span className="jp-IV-spacer" />
        <RowMenuButton
          options={{
            version: v,
            aliases: props.aliases,
            actions,
            onDetails: () => setExpanded(true),
            onCheck: () => {
              setExpanded(true);
              setChecks(n => n + 1);
            },
            onAttach: () => {
              setExpanded(true);
              setAttaching(true);
            },
            onDerive: () => {
              setExpanded(true);
              setDeriving(true);
            }
          }}
        />
      </div>
      <div className="jp-IV-rowAliases">
        <span className="jp-IV-aliases">
          {v.aliases.slice(0, ROW_ALIASES).map(alias => (
            <AliasTag
              key={alias}
              alias={alias}
              busy={busy}
              onRemove={() => void actions.removeAlias(alias)}
            />
          ))}
          {hidden.length > 0 && (
            <span className="jp-IV-moreAliases" title={hidden.join(', ')}>
              {trans.__('+%1', hidden.length)}
            </span>
          )}
          {v.aliases.length === 0 && (
            <span className="jp-IV-muted">{trans.__('no alias')}</span>
          )}
        </span>
        <GuidanceBadge guidance={v.vendor_guidance} />
      </div>
      <div className="jp-IV-meta" title={meta}>
        {meta || '—'}
      </div>
      <div className="jp-IV-rowFoot">
        <span className="jp-IV-baseImage" title={v.base_image ?? ''}>
          {shortImage(v.base_image)}
        </span>
        {v.base_image && (
          <CopyButton text={v.base_image} what={trans.__('base image')} />
        )}
        <RelativeTime value={v.created} />
      </div>
      {v.failure_reason ? (
        <div
          className="jp-IV-rowNote jp-IV-failure"
          role="status"
          title={v.failure_reason}
        >
          <strong>{trans.__('Failure reason:')}</strong> {v.failure_reason}
        </div>
      ) : (
        <div
          className="jp-IV-rowNote jp-IV-notes"
          title={v.release_notes ?? ''}
        >
          {v.release_notes || (
            <span className="jp-IV-muted">{trans.__('No release notes')}</span>
          )}
        </div>
      )}
      {expanded && !deleting && (
        <VersionDetails
          version={v}
          aliases={props.aliases}
          actions={actions}
          checks={checks}
          attaching={attaching}
          onAttachClose={() => setAttaching(false)}
          deriving={deriving}
          onDeriveClose={() => setDeriving(false)}
          onRegistered={() => props.onChanged(v, true)}
        />
      )}
    </li>
  );
}

/** The details of an expanded row: every fact, Add alias, the image check, the attach form. */
function VersionDetails(props: {
  version: IImageVersion;
  aliases: Record<string, number>;
  actions: IVersionActions;
  checks: number;
  attaching: boolean;
  onAttachClose: () => void;
  deriving: boolean;
  onDeriveClose: () => void;
  onRegistered: () => void;
}): JSX.Element {
  const { trans } = usePanel();
  const v = props.version;
  const fact = (label: string, value: React.ReactNode) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <div className="jp-IV-details">
      <dl className="jp-IV-facts">
        {fact(trans.__('ARN'), v.arn)}
        {fact(trans.__('Aliases'), v.aliases.join(', ') || '—')}
        {fact(trans.__('Base image'), v.base_image ?? '—')}
        {fact(trans.__('Container image'), v.container_image ?? '—')}
        {fact(
          trans.__('Horovod'),
          v.horovod === null
            ? trans.__('Not provided')
            : v.horovod
              ? trans.__('Yes')
              : trans.__('No')
        )}
        {v.failure_reason && fact(trans.__('Failure'), v.failure_reason)}
        {fact(trans.__('Release notes'), v.release_notes || '—')}
        {fact(trans.__('Modified'), <RelativeTime value={v.modified} />)}
      </dl>
      <AddAlias
        version={v}
        aliases={props.aliases}
        busy={Boolean(props.actions.working)}
        update={props.actions.update}
      />
      {props.attaching && (
        <AttachForm version={v} onClose={props.onAttachClose} />
      )}
      {props.deriving && (
        <DeriveForm
          version={v}
          onClose={props.onDeriveClose}
          onRegistered={props.onRegistered}
        />
      )}
      {v.base_image && props.checks > 0 && (
        <DoctorFindings image={v.base_image} requested={props.checks} />
      )}
    </div>
  );
}
