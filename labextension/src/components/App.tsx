/** The whole panel: header, image list, and the selected image. */

import { ISignal } from '@lumino/signaling';
import * as React from 'react';

import { usePanel } from '../context';
import { setServedSchema } from '../validation';
import { errorText } from '../notify';
import { IContext, IImage, IObjectSchema } from '../types';
import { Header } from './Header';
import { ImageList } from './ImageList';
import { ImageView } from './ImageView';

export function App(props: {
  /** Emits when the panel is shown again: its data may be stale by then. */
  shown: ISignal<unknown, void>;
}): JSX.Element {
  const { client } = usePanel();
  const [context, setContext] = React.useState<IContext | null>(null);
  const [contextError, setContextError] = React.useState('');
  const [images, setImages] = React.useState<IImage[] | null>(null);
  const [imagesError, setImagesError] = React.useState('');
  const [selected, setSelected] = React.useState<string | null>(null);
  const [selectedShown, setSelectedShown] = React.useState(true);
  const [schema, setSchema] = React.useState<IObjectSchema | null>(null);
  const [refreshToken, setRefreshToken] = React.useState(0);

  React.useEffect(() => {
    // The client checks come from the server's OpenAPI document; without it the server checks.
    client
      .registerSchema()
      .then(found => {
        setServedSchema(found);
        setSchema(found);
      })
      .catch(() => setSchema(null));
  }, []);

  React.useEffect(() => {
    const refresh = () => setRefreshToken(token => token + 1);
    props.shown.connect(refresh);
    return () => {
      props.shown.disconnect(refresh);
    };
  }, [props.shown]);

  React.useEffect(() => {
    let live = true;
    setContextError('');
    setImagesError('');
    client
      .context()
      .then(found => live && setContext(found))
      .catch(reason => live && setContextError(errorText(reason)));
    client
      .images()
      .then(found => {
        if (!live) {
          return;
        }
        setImages(found);
        setSelected(current =>
          current && found.some(i => i.name === current)
            ? current
            : (found[0]?.name ?? null)
        );
      })
      .catch(reason => live && setImagesError(errorText(reason)));
    return () => {
      live = false;
    };
  }, [refreshToken]);

  return (
    <div className="jp-IV-app">
      <Header
        context={context}
        error={contextError}
        onRefresh={() => setRefreshToken(token => token + 1)}
      />
      {(contextError || imagesError) && (
        <div className="jp-IV-formMessage" role="alert">
          {imagesError || contextError}
        </div>
      )}
      <ImageList
        images={images}
        selected={selected}
        onSelect={setSelected}
        onSelectedShown={setSelectedShown}
      />
      {/* A search that leaves the image out hides its history too. */}
      {selected && selectedShown && (
        <ImageView
          image={selected}
          schema={schema}
          refreshToken={refreshToken}
        />
      )}
    </div>
  );
}
