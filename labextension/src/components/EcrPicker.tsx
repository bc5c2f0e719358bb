/** Pick a base image from the account's ECR repositories and their tags. */

import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { errorText } from '../notify';
import { IEcrImage, IEcrRepository } from '../types';
import { RelativeTime, Spinner } from './common';

export function EcrPicker(props: {
  onPick: (uri: string) => void;
}): JSX.Element {
  const { client, trans } = usePanel();
  const [repositories, setRepositories] = React.useState<
    IEcrRepository[] | null
  >(null);
  const [repository, setRepository] = React.useState('');
  const [images, setImages] = React.useState<IEcrImage[] | null>(null);
  const [error, setError] = React.useState('');
  const [loading, setLoading] = React.useState(true);

  React.useEffect(() => {
    let live = true;
    client
      .ecrRepositories()
      .then(found => {
        if (live) {
          setRepositories(found);
          setRepository(found[0]?.name ?? '');
        }
      })
      .catch(reason => live && setError(errorText(reason)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, []);

  React.useEffect(() => {
    if (!repository) {
      return;
    }
    let live = true;
    setImages(null);
    setLoading(true);
    client
      .ecrImages(repository)
      .then(found => live && setImages(found))
      .catch(reason => live && setError(errorText(reason)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [repository]);

  return (
    <div className="jp-IV-ecrPicker" aria-label={trans.__('ECR picker')}>
      {repositories && repositories.length > 0 && (
        <HTMLSelect
          aria-label={trans.__('ECR repository')}
          value={repository}
          onChange={event => setRepository(event.target.value)}
          options={repositories.map(r => r.name)}
        />
      )}
      {repositories && repositories.length === 0 && (
        <div className="jp-IV-muted">{trans.__('No ECR repositories.')}</div>
      )}
      {loading && <Spinner label={trans.__('Loading ECR images')} />}
      {error && <div className="jp-IV-fieldMessage">{error}</div>}
      {images && (
        <ul className="jp-IV-ecrImages">
          {images.length === 0 && (
            <li className="jp-IV-muted">{trans.__('No tagged images.')}</li>
          )}
          {images.map(image => (
            <li key={image.tag} data-tag={image.tag}>
              <Button small minimal onClick={() => props.onPick(image.uri)}>
                {image.tag}
              </Button>
              <RelativeTime value={image.pushed} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
