/** The command opening a version's Contents in the main area (one tab per version). */

import { JupyterFrontEnd } from '@jupyterlab/application';

import { IPanelContext } from '../context';
import { imageVersionsIcon } from '../icons';
import { contentsWidget, contentsWidgetId } from './widget';

export function addContentsCommand(
  app: JupyterFrontEnd,
  id: string,
  context: IPanelContext
): void {
  app.commands.addCommand(id, {
    label: args =>
      args.image
        ? context.trans.__('Contents of %1 v%2', args.image, args.version)
        : context.trans.__('Image Versions: Contents of a version'),
    icon: imageVersionsIcon,
    execute: args => {
      const image = String(args.image ?? '');
      const version = Number(args.version);
      if (!image || !Number.isInteger(version)) {
        return;
      }
      const wanted = contentsWidgetId(image, version);
      const open = [...app.shell.widgets('main')].find(w => w.id === wanted);
      if (open) {
        app.shell.activateById(wanted);
        return;
      }
      const widget = contentsWidget(context, image, version);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
    }
  });
}
