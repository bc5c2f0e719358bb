import { LabIcon } from '@jupyterlab/ui-components';

import svg from '../style/icons/image-versions.svg';

export const imageVersionsIcon = new LabIcon({
  name: 'jupyter-image-versions:icon',
  svgstr: svg
});
