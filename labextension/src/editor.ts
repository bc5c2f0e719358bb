/** Exported code in a new editor tab: a file of the suggested name (or an untitled one). */

import { JupyterFrontEnd } from '@jupyterlab/application';

/** Save `content` as `filename` in the server's root (untitled.<suffix> when taken); open it. */
export async function openInEditor(
  app: JupyterFrontEnd,
  filename: string,
  content: string
): Promise<string> {
  const contents = app.serviceManager.contents;
  let path = filename;
  const taken = await contents
    .get(filename, { content: false })
    .then(() => true)
    .catch(() => false);
  if (taken) {
    // The whole suffix: main.tf.json stays a .tf.json file (untitled.tf.json).
    const dot = filename.indexOf('.');
    const made = await contents.newUntitled({
      type: 'file',
      ext: dot >= 0 ? filename.slice(dot) : '.txt'
    });
    path = made.path;
  }
  await contents.save(path, { type: 'file', format: 'text', content });
  // The editor picks the language (YAML, JSON, Python, TypeScript, HCL) from the extension.
  await app.commands.execute('docmanager:open', { path, factory: 'Editor' });
  return path;
}
