/**
 * The main-area history, in both themes: opened from the sidebar and from the palette, a table
 * that sorts and filters, the time axis above it (a click selects the row), Compare beside it.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import {
  expectReadable,
  openPanel,
  setTheme,
  shotPath,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

for (const theme of THEMES) {
  test(`the main-area history sorts, filters and compares (${theme})`, async ({
    page
  }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-historyButton').click();
    const view = page.locator('.jp-IV-historyView');
    await expect(view).toBeVisible();
    const rows = view.locator('.jp-IV-historyTable tbody tr');
    await expect(rows).toHaveCount(5);
    const order = () =>
      rows.evaluateAll(trs =>
        trs.map(tr => Number(tr.getAttribute('data-version')))
      );
    expect(await order()).toEqual([5, 4, 3, 2, 1]);

    // Sort by version, ascending; filter by a word from any column.
    await view.locator('th[data-column="version"] button').click();
    expect(await order()).toEqual([1, 2, 3, 4, 5]);
    await view.locator('.jp-IV-historyFilter input').fill('cpu');
    expect(await order()).toEqual([4]);
    await view.locator('.jp-IV-historyFilter input').fill('');
    await expect(rows).toHaveCount(5);
    await expect(
      view.locator('tr[data-version="1"] td[data-column="vendor_guidance"]')
    ).toHaveText('To be archived');
    await expect(
      view.locator('tr[data-version="5"] td[data-column="tag"]')
    ).toHaveText('2.3-gpu');

    // The time axis: one tick per version; a click selects its row.
    await expect(view.locator('.jp-IV-axisTick')).toHaveCount(5);
    await view.locator('.jp-IV-axisTick[data-version="2"]').click();
    await expect(view.locator('tr[data-version="2"]')).toHaveClass(
      /jp-mod-selected/
    );

    // Every label of the axis (versions and aliases) lies inside the view: none clipped.
    const outside = await view.evaluate(root => {
      const box = root.getBoundingClientRect();
      return [
        ...root.querySelectorAll<HTMLElement>(
          '.jp-IV-axisLabel, .jp-IV-axisAliases'
        )
      ]
        .filter(el => {
          const r = el.getBoundingClientRect();
          return r.left < box.left || r.right > box.right;
        })
        .map(el => el.textContent);
    });
    expect(outside).toEqual([]);

    // Compare beside the table, side by side: to its right, at the same height.
    await view.locator('tr[data-version="4"] input[type="checkbox"]').check();
    await view.locator('tr[data-version="5"] input[type="checkbox"]').check();
    const compare = view.locator('.jp-IV-historyCompare .jp-IV-diff');
    await expect(compare).toBeVisible();
    const table = await view.locator('.jp-IV-historyTableBox').boundingBox();
    const side = await compare.boundingBox();
    expect(side!.x).toBeGreaterThanOrEqual(table!.x + table!.width - 1);
    expect(side!.y).toBeLessThan(table!.y + table!.height);
    await expectReadable(
      view.locator('td, th button'),
      `history table (${theme})`
    );
    await view.screenshot({ path: shotPath(`history-${theme}.png`) });
    await page
      .locator('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon')
      .first()
      .click();

    // The palette opens it too, for the image selected in the sidebar.
    await page.keyboard.press('Control+Shift+C');
    await page
      .locator('.lm-CommandPalette-input')
      .fill('Image Versions: Open history');
    await page
      .locator('.lm-CommandPalette-item', {
        hasText: 'Image Versions: Open history'
      })
      .first()
      .click();
    await expect(page.locator('.jp-IV-historyView')).toBeVisible();
  });
}
