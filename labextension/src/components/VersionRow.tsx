/** One version of the history: its facts, and the actions on it. */

import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import {
  Button,
  caretDownIcon,
  caretRightIcon,
  HTMLSelect
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { AddAlias } from './AddAlias';
import { AttachForm } from './AttachForm';
import { DoctorFindings } from './DoctorFindings';
import { notifyError } from '../notify';
import { IImageVersion, IPatch, VENDOR_GUIDANCE } from '../types';
import {
  AliasTag,
  CopyButton,
  GuidanceBadge,
  RelativeTime,
  shortImage,
  StatusBadge
} from './common';

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
  const { client, trans } = usePanel();
  const v = props.version;
  const [expanded, setExpanded] = React.useState(false);
  const [busy, setBusy] = React.useState(false);
  // AWS deletes in the background: greyed, a spinner, no actions; ImageView polls it away.
  const deleting = v.status === 'DELETING';

  const update = async (
    patch: IPatch,
    done: string,
    reloadAll = false,
    undo?: IPatch
  ): Promise<boolean> => {
    setBusy(true);
    try {
      const updated = await client.update(v.image_name, v.version, patch);
      // A removal can be taken back from its notification.
      const actions = undo
        ? [
            {
              label: trans.__('Undo'),
              callback: () =>
                void update(
                  undo,
                  trans.__('Restored on version %1', v.version),
                  true
                )
            }
          ]
        : undefined;
      Notification.success(done, { autoClose: undo ? 8000 : 3000, actions });
      props.onChanged(updated, reloadAll);
      return true;
    } catch (error) {
      notifyError(trans.__('Version %1 was not changed', v.version), error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const removeAlias = (alias: string) =>
    update(
      { aliases_to_delete: [alias] },
      trans.__('Removed alias %1 from version %2', alias, v.version),
      true,
      { aliases_to_add: [alias] }
    );

  const meta = [v.ml_framework, v.programming_lang, v.processor, v.job_type]
    .filter(Boolean)
    .join(' · ');

  return (
    <li
      className={`jp-IV-row${props.selected ? ' jp-mod-selected' : ''}${
        deleting ? ' jp-IV-deleting' : ''
      }`}
      aria-busy={deleting}
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
          title={
            expanded
              ? trans.__('Hide details')
              : trans.__('Details and actions')
          }
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
        <span className="jp-IV-aliases">
          {v.aliases.map(alias => (
            <AliasTag
              key={alias}
              alias={alias}
              busy={busy || deleting}
              onRemove={() => void removeAlias(alias)}
            />
          ))}
        </span>
        <GuidanceBadge guidance={v.vendor_guidance} />
      </div>
      {meta && <div className="jp-IV-meta">{meta}</div>}
      <div className="jp-IV-rowFoot">
        <span className="jp-IV-baseImage" title={v.base_image ?? ''}>
          {shortImage(v.base_image)}
        </span>
        {v.base_image && (
          <CopyButton text={v.base_image} what={trans.__('base image')} />
        )}
        <RelativeTime value={v.created} />
      </div>
      {v.failure_reason && (
        <div className="jp-IV-failure" role="status">
          <strong>{trans.__('Failure reason:')}</strong> {v.failure_reason}
        </div>
      )}
      {v.release_notes && <div className="jp-IV-notes">{v.release_notes}</div>}
      {expanded && !deleting && (
        <VersionDetails
          version={v}
          aliases={props.aliases}
          busy={busy}
          update={update}
          onDeleted={found => props.onChanged(found, found === null)}
          setBusy={setBusy}
        />
      )}
    </li>
  );
}

function VersionDetails(props: {
  version: IImageVersion;
  aliases: Record<string, number>;
  busy: boolean;
  update: (
    patch: IPatch,
    done: string,
    reloadAll?: boolean,
    undo?: IPatch
  ) => Promise<boolean>;
  onDeleted: (found: IImageVersion | null) => void;
  setBusy: (busy: boolean) => void;
}): JSX.Element {
  const { client, trans } = usePanel();
  const v = props.version;
  const movable = Object.keys(props.aliases)
    .filter(alias => props.aliases[alias] !== v.version)
    .sort();
  const [attaching, setAttaching] = React.useState(false);
  const [moving, setMoving] = React.useState(movable[0] ?? '');
  const [guidance, setGuidance] = React.useState(
    v.vendor_guidance || 'NOT_PROVIDED'
  );
  React.useEffect(() => {
    if (!movable.includes(moving)) {
      setMoving(movable[0] ?? '');
    }
  }, [movable.join(',')]);

  const remove = async () => {
    const result = await showDialog({
      title: trans.__('Delete version %1?', v.version),
      body: trans.__(
        'Delete version %1 of %2? Its aliases go with it; the ECR image stays.',
        v.version,
        v.image_name
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Delete') })
      ]
    });
    if (!result.button.accept) {
      return;
    }
    props.setBusy(true);
    try {
      const found = await client.remove(v.image_name, v.version);
      Notification.success(
        found
          ? trans.__('Deleting version %1…', v.version)
          : trans.__('Deleted version %1', v.version),
        { autoClose: 3000 }
      );
      props.onDeleted(found);
    } catch (error) {
      notifyError(trans.__('Version %1 was not deleted', v.version), error);
    } finally {
      props.setBusy(false);
    }
  };

  return (
    <div className="jp-IV-details">
      <dl className="jp-IV-facts">
        <dt>{trans.__('ARN')}</dt>
        <dd>{v.arn}</dd>
        <dt>{trans.__('Base image')}</dt>
        <dd>{v.base_image ?? '—'}</dd>
        <dt>{trans.__('Container image')}</dt>
        <dd>{v.container_image ?? '—'}</dd>
        <dt>{trans.__('Horovod')}</dt>
        <dd>{v.horovod === null ? '—' : String(v.horovod)}</dd>
        <dt>{trans.__('Modified')}</dt>
        <dd>
          <RelativeTime value={v.modified} />
        </dd>
      </dl>
      <AddAlias
        version={v}
        aliases={props.aliases}
        busy={props.busy}
        update={props.update}
      />
      {movable.length > 0 && (
        <div className="jp-IV-action jp-IV-moveAlias">
          <HTMLSelect
            aria-label={trans.__('Alias to move to version %1', v.version)}
            value={moving}
            onChange={event => setMoving(event.target.value)}
            options={movable.map(alias => ({
              value: alias,
              label: trans.__('%1 (now v%2)', alias, props.aliases[alias])
            }))}
          />
          <Button
            small
            disabled={props.busy || !moving}
            onClick={() =>
              void props.update(
                { move_aliases: [moving] },
                trans.__('Moved alias %1 to version %2', moving, v.version),
                true
              )
            }
          >
            {trans.__('Move alias here')}
          </Button>
        </div>
      )}
      <div className="jp-IV-action jp-IV-setGuidance">
        <HTMLSelect
          aria-label={trans.__('Vendor guidance of version %1', v.version)}
          value={guidance}
          onChange={event => setGuidance(event.target.value)}
          options={VENDOR_GUIDANCE.map(value => ({ value, label: value }))}
        />
        <Button
          small
          disabled={
            props.busy || guidance === (v.vendor_guidance || 'NOT_PROVIDED')
          }
          onClick={() =>
            void props.update(
              { vendor_guidance: guidance },
              trans.__('Version %1 is now %2', v.version, guidance)
            )
          }
        >
          {trans.__('Set guidance')}
        </Button>
      </div>
      <div className="jp-IV-action">
        <Button
          small
          className="jp-IV-attachButton"
          aria-expanded={attaching}
          disabled={v.status !== 'CREATED'}
          title={trans.__(
            'Make this version a custom image of a Studio domain'
          )}
          onClick={() => setAttaching(!attaching)}
        >
          {trans.__('Attach to domain…')}
        </Button>
      </div>
      {attaching && (
        <AttachForm version={v} onClose={() => setAttaching(false)} />
      )}
      {v.base_image && <DoctorFindings image={v.base_image} />}
      <div className="jp-IV-action">
        <Button
          small
          className="jp-mod-warn jp-IV-delete"
          disabled={props.busy}
          onClick={() => void remove()}
        >
          {trans.__('Delete version…')}
        </Button>
      </div>
    </div>
  );
}
