/**
 * The register form's help from the image: "Draft from changes since vN" (release notes drafted
 * by the server from the package diff against an earlier version, fitting the model's limit),
 * and the ML framework and language the image suggests, each offered to accept: nothing is put
 * in the form without a click, and nothing is sent before Register.
 */

import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IDraftNotes } from '../types';
import { ReadProgress, useLongRead } from './LongRead';

type SuggestedField = 'ml_framework' | 'programming_lang' | 'processor';

const ECR_URI = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/.+/;

/** The image's CREATED versions, newest first (up to 100): what a draft can start from. */
function useCreated(image: string): number[] {
  const { client } = usePanel();
  const [created, setCreated] = React.useState<number[]>([]);
  React.useEffect(() => {
    let live = true;
    client
      .history(image, { limit: 100 })
      .then(page => {
        const found = page.versions.filter(v => v.status === 'CREATED');
        live && setCreated(found.map(v => v.version));
      })
      .catch(() => live && setCreated([]));
    return () => {
      live = false;
    };
  }, [image]);
  return created;
}

export function DraftNotes(props: {
  /** The image the form registers to, when its field is empty. */
  image: string;
  /** The form's values now (a suggestion equal to its field's value is not offered). */
  values: Record<SuggestedField | 'image_name' | 'base_image', string>;
  /** Put values in the form: the draft's notes (asked for by the click), or a suggestion. */
  onUse: (
    patch: Partial<Record<SuggestedField | 'release_notes', string>>
  ) => void;
}): JSX.Element {
  const { client, trans } = usePanel();
  const image = props.values.image_name.trim() || props.image;
  const versions = useCreated(image);
  // The version the draft compares with: the newest CREATED one unless another is chosen.
  const [since, setSince] = React.useState<number | null>(null);
  React.useEffect(() => {
    if (since === null || !versions.includes(since)) {
      setSince(versions[0] ?? null);
    }
  }, [versions.join(',')]);
  const base = props.values.base_image.trim();
  const read = useLongRead<IDraftNotes>(signal =>
    client.draftNotes(image, base, since, signal)
  );
  React.useEffect(() => {
    if (read.state === 'done' && read.data?.notes) {
      props.onUse({ release_notes: read.data.notes });
    }
  }, [read.state, read.data]);
  const ready = ECR_URI.test(base);
  const draft = read.state === 'done' ? read.data : null;
  const fields: [SuggestedField, string][] = [
    ['ml_framework', trans.__('ML framework')],
    ['programming_lang', trans.__('Programming language')],
    ['processor', trans.__('Processor')]
  ];
  return (
    <div className="jp-IV-draftBox">
      <div className="jp-IV-draft">
        <Button
          small
          type="button"
          className="jp-IV-draftButton"
          disabled={!ready || read.state === 'loading'}
          title={
            !ready
              ? trans.__('Choose the base image first')
              : since === null
                ? trans.__(
                    'No CREATED version to compare with: the framework and language the image suggests'
                  )
                : trans.__(
                    'Release notes from the packages that changed since v%1',
                    since
                  )
          }
          onClick={read.start}
        >
          {since === null
            ? trans.__('Suggest from the image')
            : trans.__('Draft from changes since v%1', since)}
        </Button>
        {versions.length > 1 && (
          <HTMLSelect
            className="jp-IV-draftSince"
            aria-label={trans.__('Draft from the changes since version')}
            value={since ?? ''}
            onChange={event => setSince(Number(event.target.value))}
            options={versions.map(n => ({
              value: n,
              label: trans.__('v%1', n)
            }))}
          />
        )}
      </div>
      <ReadProgress
        read={read}
        label={trans.__('Reading the packages of both images…')}
      />
      {draft && !draft.notes && draft.reason && (
        <div className="jp-IV-muted jp-IV-draftReason">{draft.reason}</div>
      )}
      {draft &&
        fields.map(([field, label]) => (
          <Suggestion
            key={field}
            field={field}
            label={label}
            value={draft.suggested[field]}
            reason={draft.suggested.reasons?.[field]}
            current={props.values[field]}
            onUse={value => props.onUse({ [field]: value })}
          />
        ))}
    </div>
  );
}

/** A value the image suggests for a field, with Use; nothing when the field holds it already. */
export function Suggestion(props: {
  field: string;
  label: string;
  value: string | null | undefined;
  /** Why the image suggests it (shown on hover). */
  reason?: string;
  current: string;
  onUse: (value: string) => void;
}): JSX.Element | null {
  const { trans } = usePanel();
  if (!props.value || props.value === props.current.trim()) {
    return null;
  }
  return (
    <div className="jp-IV-suggestion" data-field={props.field}>
      <span title={props.reason}>
        {trans.__('%1 from the image:', props.label)}{' '}
        <strong>{props.value}</strong>
      </span>
      <Button
        small
        minimal
        type="button"
        className="jp-IV-useSuggestion"
        aria-label={trans.__('Use %1 as %2', props.value, props.label)}
        onClick={() => props.onUse(props.value as string)}
      >
        {trans.__('Use')}
      </Button>
    </div>
  );
}
