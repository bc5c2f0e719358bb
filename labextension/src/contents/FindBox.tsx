/**
 * The history toolbar's Find: requirements (`torch>=2.3 numpy<2`, `deb:libc6`, `conda:numpy`)
 * sent to GET /find; the versions that match every one are marked in the history and named
 * here with the packages that matched. Progress and Cancel while the versions are read.
 */

import { Button, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IFindAnswer } from '../types';
import { ReadProgress, useLongRead } from './LongRead';

/**
 * The requirements typed, one per word; a word that is only an operator or a version joins its
 * neighbour ("torch >= 2.3" is one requirement).
 */
export function splitRequirements(text: string): string[] {
  const out: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const last = out.length ? out[out.length - 1] : '';
    if (last && (/^[<>=!~,;]/.test(word) || /[<>=!~,;]$/.test(last))) {
      out[out.length - 1] = last + word;
    } else {
      out.push(word);
    }
  }
  return out;
}

/** What Find found (the server's answer). */
export type IFindResult = IFindAnswer;

export function FindBox(props: {
  image: string;
  onResult: (result: IFindResult | null) => void;
}): JSX.Element {
  const { client, trans } = usePanel();
  const [text, setText] = React.useState('');
  const [asked, setAsked] = React.useState<string[]>([]);
  const read = useLongRead<IFindResult>(signal =>
    client.find(props.image, splitRequirements(text), signal)
  );
  React.useEffect(() => {
    props.onResult(read.state === 'done' ? read.data : null);
  }, [read.state, read.data]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const requirements = splitRequirements(text);
    setAsked(requirements);
    if (requirements.length) {
      read.start();
    } else {
      read.cancel();
      props.onResult(null);
    }
  };
  const result = read.state === 'done' ? read.data : null;
  const problem =
    read.problems.requirement ?? Object.values(read.problems)[0] ?? '';

  return (
    <form
      className="jp-IV-find"
      role="search"
      aria-label={trans.__('Find versions by package')}
      onSubmit={submit}
      data-state={read.state}
    >
      <div className="jp-IV-inline">
        <InputGroup
          className="jp-IV-findInput"
          type="search"
          placeholder={trans.__('Find: torch>=2.3 numpy<2')}
          aria-label={trans.__(
            'Requirements the versions must meet, e.g. torch>=2.3 numpy<2'
          )}
          aria-invalid={problem ? true : undefined}
          value={text}
          onChange={event => setText(event.target.value)}
        />
        <Button
          small
          type="submit"
          className="jp-IV-findButton"
          disabled={read.state === 'loading'}
        >
          {trans.__('Find')}
        </Button>
        {result && (
          <Button
            small
            minimal
            type="button"
            className="jp-IV-findClear"
            onClick={() => {
              setText('');
              setAsked([]);
              read.cancel();
              props.onResult(null);
            }}
          >
            {trans.__('Clear')}
          </Button>
        )}
      </div>
      <ReadProgress
        read={read}
        label={trans.__('Reading the contents of every version…')}
      />
      {result && (
        <div className="jp-IV-findResult" role="status" aria-live="polite">
          {result.versions.length
            ? trans.__(
                '%1 of the %2 versions read match %3: %4',
                result.versions.length,
                result.checked,
                result.requirements.join(' '),
                result.versions
                  .map(
                    f =>
                      `v${f.version} (${f.matches
                        .map(m => `${m.name} ${m.version}`)
                        .join(', ')})`
                  )
                  .join('; ')
              )
            : trans.__(
                'None of the %1 versions read matches %2.',
                result.checked,
                (asked.length ? asked : result.requirements).join(' ')
              )}
          {result.unread.map(u => (
            <div key={u.version} className="jp-IV-findUnread">
              {trans.__('v%1 could not be read: %2', u.version, u.error)}
            </div>
          ))}
        </div>
      )}
    </form>
  );
}
