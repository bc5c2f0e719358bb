/**
 * The README's screenshots, light and dark: the sidebar at its default width, Compare, and the
 * notebook outputs. A normal run writes them to test-results/screenshots (ignored);
 * `jlpm run screenshots` writes them to docs/.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import {
  openPanel,
  row,
  setTheme,
  shotPath,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

for (const theme of THEMES) {
  test(`screenshots of the sidebar and Compare (${theme})`, async ({
    page
  }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await expect(panel.locator('.jp-IV-spinner')).toHaveCount(0);
    await panel.screenshot({
      path: shotPath(`sidebar-${SIDEBAR_WIDTH}-${theme}.png`)
    });

    await page.sidebar.setWidth(360, 'left');
    await row(panel, 4).locator('.jp-IV-select').check();
    await row(panel, 5).locator('.jp-IV-select').check();
    await panel.locator('.jp-IV-compareButton').click();
    const diff = panel.locator('.jp-IV-diff');
    await diff.scrollIntoViewIfNeeded();
    await panel.evaluate(el => (el.scrollTop = 0));
    await diff.evaluate(el => el.scrollIntoView({ block: 'start' }));
    await diff.screenshot({ path: shotPath(`compare-${theme}.png`) });
  });

  test(`screenshot of the notebook outputs (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    await page.notebook.createNew();
    await page.notebook.setCell(
      0,
      'code',
      '%load_ext jupyter_image_versions\n%imageversion history pytorch-training'
    );
    await page.notebook.runCell(0, true);
    const output = page.locator('.jp-Cell-outputArea table.jp-image-versions');
    await expect(output).toBeVisible({ timeout: 60000 });
    // The table fits the cell: its scroll box never runs past the output area.
    const fits = await page
      .locator('.jp-image-versions-scroll')
      .evaluate(el => {
        const area = el.closest('.jp-OutputArea-output') as HTMLElement;
        return (
          el.getBoundingClientRect().right <=
          area.getBoundingClientRect().right + 1
        );
      });
    expect(fits).toBe(true);
    await page
      .locator('.jp-Cell-outputArea')
      .first()
      .screenshot({ path: shotPath(`notebook-${theme}.png`) });
  });
}
