/** The account's SageMaker images, with search. */

import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IImage } from '../types';

export function ImageList(props: {
  images: IImage[] | null;
  selected: string | null;
  onSelect: (name: string) => void;
  /** Whether the selected image is among those the search shows. */
  onSelectedShown?: (shown: boolean) => void;
}): JSX.Element {
  const { trans } = usePanel();
  const [query, setQuery] = React.useState('');
  const needle = query.trim().toLowerCase();
  const shown = (props.images ?? []).filter(
    image =>
      !needle ||
      image.name.toLowerCase().includes(needle) ||
      (image.display_name ?? '').toLowerCase().includes(needle) ||
      (image.description ?? '').toLowerCase().includes(needle)
  );
  const selectedShown =
    !props.selected || shown.some(image => image.name === props.selected);
  React.useEffect(
    () => props.onSelectedShown?.(selectedShown),
    [selectedShown]
  );
  return (
    <section className="jp-IV-imageList" aria-label={trans.__('Images')}>
      <InputGroup
        className="jp-IV-search"
        type="search"
        placeholder={trans.__('Search images')}
        aria-label={trans.__('Search images')}
        value={query}
        rightIcon="ui-components:search"
        onChange={event => setQuery(event.target.value)}
      />
      <ul className="jp-IV-images">
        {props.images !== null && shown.length === 0 && (
          <li className="jp-IV-muted">
            {props.images.length
              ? trans.__('No image matches.')
              : trans.__('No images yet.')}
          </li>
        )}
        {shown.map(image => (
          <li key={image.name}>
            <button
              type="button"
              className={`jp-IV-image${
                image.name === props.selected ? ' jp-mod-selected' : ''
              }`}
              data-image={image.name}
              aria-pressed={image.name === props.selected}
              title={image.description ?? image.arn}
              onClick={() => props.onSelect(image.name)}
            >
              <span className="jp-IV-imageName">
                {image.display_name || image.name}
              </span>
              {image.display_name && (
                <span className="jp-IV-muted">{image.name}</span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
