/**
 * The notebook's history fits a 1200 px window: the magic's HTML table and the widget panel's
 * history have no horizontal overflow for the demo history, and no "(0 s)" line is left.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import { setTheme, THEMES } from './helpers';

test.use({
  autoGoto: true,
  mockSettings: galata.DEFAULT_SETTINGS,
  viewport: { width: 1200, height: 800 }
});

/** Each history box's overflow: scrollWidth - clientWidth (0 when it fits). */
async function overflows(page: any): Promise<number[]> {
  return page
    .locator('.jp-image-versions-scroll')
    .evaluateAll((boxes: HTMLElement[]) =>
      boxes.map(box => box.scrollWidth - box.clientWidth)
    );
}

for (const theme of THEMES) {
  test(`the notebook history fits 1200 px (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    await page.notebook.createNew();
    await page.notebook.setCell(
      0,
      'code',
      '%load_ext jupyter_image_versions\n%imageversion history pytorch-training'
    );
    await page.notebook.runCell(0, true);
    const table = page.locator('.jp-Cell-outputArea table.jp-image-versions');
    await expect(table).toBeVisible({ timeout: 60000 });
    expect(await overflows(page)).toEqual([0]);

    await page.notebook.addCell('code', '%imageversion panel pytorch-training');
    await page.notebook.runCell(1, true);
    await expect(table).toHaveCount(2, { timeout: 60000 });
    await expect(table.nth(1).locator('tbody tr').first()).toBeVisible();
    expect(await overflows(page)).toEqual([0, 0]);
    const outputs = await page.locator('.jp-Cell-outputArea').allInnerTexts();
    expect(outputs.join('\n')).not.toContain('(0 s)');
    await page
      .locator('.jp-Cell-outputArea')
      .first()
      .screenshot({ path: `test-results/notebook-fit-${theme}.png` });
  });
}
