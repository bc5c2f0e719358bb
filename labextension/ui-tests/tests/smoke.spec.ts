/**
 * The smoke test of the prebuilt extension on any supported JupyterLab (scripts/test.sh runs it
 * on JupyterLab 4.0.x in its compat stage, and with the other specs on the newest 4.x): the
 * sidebar opens and lists the demo's history, the main-area history opens, the export is
 * highlighted, and the page logs no error and no "Unsatisfied version" warning for a shared module
 * the extension requires.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import { openPanel } from './helpers';

test.use({ autoGoto: false, mockSettings: galata.DEFAULT_SETTINGS });

/** The shared modules the extension's bundle requires (its package.json's dependencies). */
const REQUIRED = [
  '@jupyterlab/application',
  '@jupyterlab/apputils',
  '@jupyterlab/codemirror',
  '@jupyterlab/coreutils',
  '@jupyterlab/services',
  '@jupyterlab/translation',
  '@jupyterlab/ui-components',
  '@lumino/commands',
  '@lumino/messaging',
  '@lumino/signaling',
  '@lumino/widgets',
  'react'
];

test('the sidebar, the main-area history and the export work with no error or version warning', async ({
  page
}) => {
  const errors: string[] = [];
  const unsatisfied: string[] = [];
  page.on('pageerror', error => errors.push(error.message));
  page.on('console', message => {
    const text = message.text();
    if (/Unsatisfied version/i.test(text)) {
      unsatisfied.push(text);
    }
  });
  await page.goto();

  const panel = await openPanel(page);
  // the demo's image and its versions, newest first (five when seeded; specs that run before
  // this one in the full Galata run may have added some)
  await expect(
    panel.locator('.jp-IV-image[data-image="pytorch-training"]')
  ).toBeVisible();
  const rows = panel.locator('.jp-IV-history .jp-IV-row');
  await expect(rows.nth(4)).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(5);
  const newest = Number(await rows.first().getAttribute('data-version'));
  expect(newest).toBeGreaterThanOrEqual(5);

  await panel.locator('.jp-IV-historyButton').click();
  const view = page.locator('.jp-IV-historyView');
  await expect(view).toBeVisible();
  await expect(view.locator('.jp-IV-historyTable tbody tr')).toHaveCount(count);

  // Export highlights with IEditorLanguageRegistry (findByFileName, highlight: 4.0's API too)
  await panel.locator('.jp-IV-exportButton').click();
  const code = panel.locator('.jp-IV-export .jp-IV-exportCode');
  await expect(code.locator('code span').first()).toBeVisible();

  expect(errors).toEqual([]);
  const ours = unsatisfied.filter(text =>
    REQUIRED.some(name => text.includes(`"${name}"`) || text.includes(name))
  );
  expect(ours).toEqual([]);
});
