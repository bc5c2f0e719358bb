/** Export an image's live history as CloudFormation, CDK or Terraform code: options, the code,
 * copy/save. */

import { Button, HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ApiError } from '../api';
import { usePanel } from '../context';
import { errorText, notifyError } from '../notify';
import { ExportFormat, IExport, Problems } from '../types';
import { CopyButton, FieldMessage, Spinner } from './common';

/** The choices of the format menu: CloudFormation comes as YAML or JSON. */
const CHOICES: Record<string, { format: ExportFormat; json: boolean }> = {
  'cloudformation-yaml': { format: 'cloudformation', json: false },
  'cloudformation-json': { format: 'cloudformation', json: true },
  'cdk-python': { format: 'cdk-python', json: false },
  'cdk-typescript': { format: 'cdk-typescript', json: false },
  terraform: { format: 'terraform', json: false },
  'terraform-json': { format: 'terraform-json', json: false }
};

/** Typing in the range field waits this long before asking again. */
const TYPING_MS = 400;

/** Save text as a file through the browser (nothing is written on the server). */
function download(filename: string, content: string): void {
  const url = URL.createObjectURL(
    new Blob([content], { type: 'text/plain;charset=utf-8' })
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportView(props: {
  image: string;
  onClose: () => void;
}): JSX.Element {
  const { client, trans, openEditor, languages } = usePanel();
  const code = React.useRef<HTMLPreElement>(null);
  const [choice, setChoice] = React.useState('cloudformation-yaml');
  const [versions, setVersions] = React.useState('');
  const [pinDigests, setPinDigests] = React.useState(false);
  const [leaveArchived, setLeaveArchived] = React.useState(false);
  const [imports, setImports] = React.useState(true);
  const [result, setResult] = React.useState<IExport | null>(null);
  const [problems, setProblems] = React.useState<Problems>({});
  const [message, setMessage] = React.useState('');
  const [loading, setLoading] = React.useState(false);
  const asked = React.useRef(0);
  const terraform = CHOICES[choice].format.startsWith('terraform');

  // Every change of the options asks again; only the latest answer is shown.
  React.useEffect(() => {
    const ask = ++asked.current;
    const timer = window.setTimeout(
      async () => {
        setLoading(true);
        try {
          const found = await client.export(props.image, {
            ...CHOICES[choice],
            versions: versions.trim(),
            pinDigests,
            includeArchived: !leaveArchived,
            imports: terraform ? imports : undefined
          });
          if (ask === asked.current) {
            setResult(found);
            setProblems({});
            setMessage('');
          }
        } catch (error) {
          if (ask === asked.current) {
            setResult(null);
            const named = error instanceof ApiError && error.hasProblems;
            setProblems(named ? (error as ApiError).problems : {});
            setMessage(named ? '' : errorText(error));
          }
        } finally {
          if (ask === asked.current) {
            setLoading(false);
          }
        }
      },
      asked.current === 1 ? 0 : TYPING_MS
    );
    return () => window.clearTimeout(timer);
  }, [props.image, choice, versions, pinDigests, leaveArchived, imports]);

  // The code highlighted by CodeMirror's parser for the file's language (text nodes and
  // spans only: the content is never parsed as HTML); plain text without the registry.
  React.useEffect(() => {
    const target = code.current;
    if (!target || !result) {
      return;
    }
    target.textContent = result.content;
    if (!languages) {
      return;
    }
    let live = true;
    const language = languages.findByFileName(result.filename);
    const highlighted = document.createElement('code');
    languages
      .highlight(result.content, language, highlighted)
      .then(() => live && target.replaceChildren(highlighted))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [result, languages]);

  // Problems of fields this view has no input for (format, json) are shown with the format.
  // (`import` has its checkbox only for Terraform.)
  const formatProblem = problems.format || problems.json;
  const otherProblems = Object.keys(problems)
    .filter(
      key =>
        ![
          'format',
          'json',
          'versions',
          'pin_digests',
          'include_archived',
          'import'
        ].includes(key)
    )
    .map(key => problems[key]);

  return (
    <section
      className="jp-IV-export"
      aria-label={trans.__('Export %1', props.image)}
      onKeyDown={event => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <div className="jp-IV-sectionHead">
        <h3>{trans.__('Export %1 as code', props.image)}</h3>
        <Button
          small
          minimal
          className="jp-IV-exportClose"
          onClick={props.onClose}
        >
          {trans.__('Close')}
        </Button>
      </div>
      <div className="jp-IV-field" data-field="format">
        <label htmlFor="jp-IV-export-format">{trans.__('Format')}</label>
        <HTMLSelect
          id="jp-IV-export-format"
          name="format"
          value={choice}
          onChange={event => setChoice(event.target.value)}
          options={[
            {
              value: 'cloudformation-yaml',
              label: trans.__('CloudFormation YAML')
            },
            {
              value: 'cloudformation-json',
              label: trans.__('CloudFormation JSON')
            },
            { value: 'cdk-python', label: trans.__('CDK Python') },
            { value: 'cdk-typescript', label: trans.__('CDK TypeScript') },
            { value: 'terraform', label: trans.__('Terraform (HCL)') },
            { value: 'terraform-json', label: trans.__('Terraform JSON') }
          ]}
        />
        <FieldMessage field="format" message={formatProblem} />
      </div>
      <div className="jp-IV-field" data-field="versions">
        <label htmlFor="jp-IV-export-versions">
          {trans.__('Versions (empty for all)')}
        </label>
        <InputGroup
          id="jp-IV-export-versions"
          name="versions"
          className="jp-IV-input"
          placeholder={trans.__('e.g. 3-7 or 1,4,9-12')}
          value={versions}
          aria-invalid={problems.versions ? true : undefined}
          onChange={event => setVersions(event.target.value)}
        />
        <FieldMessage field="versions" message={problems.versions} />
      </div>
      <div className="jp-IV-field jp-IV-check" data-field="pin_digests">
        <label>
          <input
            type="checkbox"
            name="pin_digests"
            checked={pinDigests}
            onChange={event => setPinDigests(event.target.checked)}
          />
          {trans.__('Pin image digests')}
        </label>
        <FieldMessage field="pin_digests" message={problems.pin_digests} />
      </div>
      <div className="jp-IV-field jp-IV-check" data-field="include_archived">
        <label>
          <input
            type="checkbox"
            name="leave_archived"
            checked={leaveArchived}
            onChange={event => setLeaveArchived(event.target.checked)}
          />
          {trans.__('Leave archived versions out')}
        </label>
        <FieldMessage
          field="include_archived"
          message={problems.include_archived}
        />
      </div>
      {terraform && (
        <div className="jp-IV-field jp-IV-check" data-field="import">
          <label
            title={trans.__(
              'Import blocks adopt the live image and versions as they are; without them, a new account gets new versions'
            )}
          >
            <input
              type="checkbox"
              name="import"
              checked={imports}
              onChange={event => setImports(event.target.checked)}
            />
            {trans.__('Import blocks (adopt the live versions)')}
          </label>
          <FieldMessage field="import" message={problems.import} />
        </div>
      )}
      {(message || otherProblems.length > 0) && (
        <div className="jp-IV-formMessage" role="alert">
          {[message, ...otherProblems].filter(Boolean).join(' ')}
        </div>
      )}
      <div className="jp-IV-formButtons jp-IV-exportButtons">
        {result && (
          <>
            <CopyButton text={result.content} what={result.filename} />
            <Button
              small
              className="jp-IV-download"
              title={trans.__('Download %1', result.filename)}
              onClick={() => download(result.filename, result.content)}
            >
              {trans.__('Download')}
            </Button>
            {openEditor && (
              <Button
                small
                className="jp-IV-openEditor"
                title={trans.__(
                  'Save %1 in the Jupyter root folder (a new untitled file if the name is taken) and open it in an editor tab',
                  result.filename
                )}
                onClick={() =>
                  void openEditor(result.filename, result.content).catch(
                    error =>
                      notifyError(trans.__('Could not open the editor'), error)
                  )
                }
              >
                {trans.__('Open in editor')}
              </Button>
            )}
            <span
              className="jp-IV-muted jp-IV-exportFile"
              title={result.filename}
            >
              {openEditor
                ? trans.__(
                    'Open in editor saves %1 in the Jupyter root folder.',
                    result.filename
                  )
                : result.filename}
            </span>
          </>
        )}
        {loading && <Spinner label={trans.__('Exporting')} />}
      </div>
      {result && (
        <pre
          ref={code}
          className="jp-IV-exportCode cm-s-jupyter"
          aria-label={trans.__('Exported code')}
          data-format={result.format}
        />
      )}
    </section>
  );
}
