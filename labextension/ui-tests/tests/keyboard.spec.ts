/**
 * The keyboard, in both themes at the default sidebar width: opening from the palette focuses
 * the panel, arrow keys move between rows, Escape closes a form and focus returns.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import { openPanel, row, setTheme, SIDEBAR_WIDTH, THEMES } from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

for (const theme of THEMES) {
  test(`palette, arrows and Escape (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    const panel = await openPanel(page);
    // Opening from the palette leaves focus in the panel, not the launcher.
    await expect
      .poll(() =>
        page.evaluate(() =>
          Boolean(document.activeElement?.closest('#jupyter-image-versions'))
        )
      )
      .toBe(true);

    // Arrow keys move between rows.
    await row(panel, 5).locator('.jp-IV-expand').focus();
    await page.keyboard.press('ArrowDown');
    await expect(row(panel, 4).locator('.jp-IV-expand')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(row(panel, 3).locator('.jp-IV-expand')).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(row(panel, 4).locator('.jp-IV-expand')).toBeFocused();

    // Escape closes the export view too, and focus returns to its button.
    await panel.locator('.jp-IV-exportButton').click();
    await expect(panel.locator('.jp-IV-export')).toBeVisible();
    await panel.locator('.jp-IV-export select').first().focus();
    await page.keyboard.press('Escape');
    await expect(panel.locator('.jp-IV-export')).toHaveCount(0);
    await expect(panel.locator('.jp-IV-exportButton')).toBeFocused();
  });
}
