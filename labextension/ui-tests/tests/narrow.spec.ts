/**
 * The sidebar at its default width (250 px), light and dark: nothing clipped, the toolbar on one
 * line, every row the same height, the row actions in a "⋯" menu that opens, works from the
 * keyboard and lies inside the window; the main-area table has the same menu.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  expectReadable,
  openPanel,
  row,
  setTheme,
  shotPath,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

/** Elements whose content is wider than their box, or that stick out of `container`. */
async function clipped(container: Locator, selector: string) {
  return container.evaluate((root, sel) => {
    const box = root.getBoundingClientRect();
    return [...root.querySelectorAll<HTMLElement>(sel)]
      .filter(el => el.offsetParent !== null)
      .filter(el => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        // Text shortened on purpose (ellipsis, full text on hover) is not clipped.
        const ellipsis = style.textOverflow === 'ellipsis' && el.title !== '';
        const overflows = el.scrollWidth > el.clientWidth + 1 && !ellipsis;
        return overflows || r.right > box.right + 1 || r.left < box.left - 1;
      })
      .map(el => `${el.className}: ${(el.textContent || '').trim()}`);
  }, selector);
}

for (const theme of THEMES) {
  test(`rows fit the default sidebar width (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await expect(panel.locator('.jp-IV-spinner')).toHaveCount(0);
    expect(
      await panel.evaluate(el => el.getBoundingClientRect().width)
    ).toBeLessThanOrEqual(SIDEBAR_WIDTH + 1);

    // The toolbar stays on one line: its items' vertical extents all overlap.
    const spans = await panel
      .locator('.jp-IV-imageToolbar > :not(.jp-IV-spacer)')
      .evaluateAll(els =>
        els.map(el => {
          const r = el.getBoundingClientRect();
          return [r.top, r.bottom];
        })
      );
    expect(spans.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...spans.map(s => s[0]))).toBeLessThan(
      Math.min(...spans.map(s => s[1]))
    );

    // Buttons and badges are whole: none cut, none past the panel's edge.
    // (The demo's five versions, or the first page after the other tests' changes.)
    const rows = panel.locator('.jp-IV-history .jp-IV-row');
    await expect(row(panel, 3)).toBeVisible();
    expect(await rows.count()).toBeGreaterThanOrEqual(5);
    expect(
      await clipped(
        panel,
        '.jp-IV-toolbar .jp-Button, .jp-IV-toolbar button, .jp-IV-row button, ' +
          '.jp-IV-status, .jp-IV-guidance, .jp-IV-alias, .jp-IV-meta, ' +
          '.jp-IV-rowNote, .jp-IV-time'
      )
    ).toEqual([]);

    // One layout: every row has the same height (failed, with notes, with aliases or not).
    const heights = await rows.evaluateAll(els =>
      els.map(el => Math.round(el.getBoundingClientRect().height))
    );
    expect(new Set(heights).size, `row heights ${heights}`).toBe(1);
    await expectReadable(
      panel.locator('.jp-IV-row .jp-IV-status, .jp-IV-row .jp-IV-guidance'),
      `badges at ${SIDEBAR_WIDTH} px (${theme})`
    );

    // Text inputs are JupyterLab's InputGroup (the register form's and Add alias's).
    await expect(
      panel.locator('.jp-IV-search.jp-InputGroup input')
    ).toBeVisible();

    // The base image keeps its tag; the failure reason is one line, whole on hover.
    await expect(row(panel, 5).locator('.jp-IV-baseImage')).toHaveText(
      'ml-platform/pytorch:2.3-gpu'
    );
    await expect(row(panel, 3).locator('.jp-IV-failure')).toHaveAttribute(
      'title',
      /2\.4-gpu/
    );

    // The actions are in the row's menu, inside the window.
    const more = row(panel, 4).locator('.jp-IV-rowMenuButton');
    await more.click();
    const menu = page.locator('.jp-IV-rowMenu[data-version="4"]');
    await expect(menu).toBeVisible();
    // The picture: the sidebar around the open menu (wherever the row is scrolled to).
    const open = (await menu.boundingBox())!;
    const height = 560;
    const top = Math.min(
      Math.max(0, open.y + open.height + 12 - height),
      page.viewportSize()!.height - height
    );
    await page.screenshot({
      path: shotPath(`sidebar-menu-${theme}.png`),
      clip: { x: 0, y: top, width: 540, height }
    });
    await expect(
      menu.locator(
        '.lm-Menu-item:not([data-type="separator"]) .lm-Menu-itemLabel'
      )
    ).toHaveText([
      'Details and Add alias',
      'Contents',
      'Check image',
      'Attach to domain…',
      'Derive new version…',
      'Move alias here',
      'Set guidance',
      'Copy base image',
      'Delete version…'
    ]);
    const fits = await menu.evaluate(el => {
      const r = el.getBoundingClientRect();
      return r.right <= window.innerWidth && r.bottom <= window.innerHeight;
    });
    expect(fits).toBe(true);
    await expectReadable(
      menu.locator(
        '.lm-Menu-item:not([data-type="separator"]) .lm-Menu-itemLabel'
      ),
      `menu (${theme})`
    );

    // Set guidance: the current value is ticked and cannot be chosen again.
    await menu.locator('.lm-Menu-item', { hasText: 'Set guidance' }).hover();
    const guidance = page.locator('.jp-IV-guidanceMenu');
    await expect(guidance).toBeVisible();
    await expect(
      guidance.locator('.lm-Menu-item.lm-mod-toggled .lm-Menu-itemLabel')
    ).toHaveText('Stable');

    // Escape closes it, and focus returns to the button.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(page.locator('.jp-IV-rowMenu')).toHaveCount(0);
    await expect(more).toBeFocused();

    // From the keyboard: Enter opens it on its first item; Enter runs it (the details open).
    await page.keyboard.press('Enter');
    await expect(menu).toBeVisible();
    await expect(menu.locator('.lm-Menu-item.lm-mod-active')).toHaveText(
      /Details and Add alias/
    );
    await page.keyboard.press('Enter');
    await expect(page.locator('.jp-IV-rowMenu')).toHaveCount(0);
    await expect(row(panel, 4).locator('.jp-IV-details')).toBeVisible();
    await expect(
      row(panel, 4).locator('.jp-IV-addAlias .jp-InputGroup input')
    ).toBeVisible();
    expect(
      await clipped(
        row(panel, 4),
        '.jp-IV-details button, .jp-IV-details input'
      )
    ).toEqual([]);
  });

  test(`the main-area table has the row menu (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-historyButton').click();
    const view = page.locator('.jp-IV-historyView');
    await expect(view.locator('tbody tr[data-version="3"]')).toBeVisible();

    // Check image from the menu: the check runs beside the table.
    await view.locator('tr[data-version="5"] .jp-IV-rowMenuButton').click();
    await page
      .locator('.jp-IV-rowMenu .lm-Menu-item', { hasText: 'Check image' })
      .click();
    const side = view.locator('.jp-IV-historySide .jp-IV-sideTool');
    await expect(side).toHaveAttribute('data-tool', 'check');
    await expect(side.locator('.jp-IV-doctor')).toHaveAttribute(
      'data-state',
      'done'
    );

    // Attach from the menu: the form beside the table; Cancel closes it.
    await view.locator('tr[data-version="5"] .jp-IV-rowMenuButton').click();
    await page
      .locator('.jp-IV-rowMenu .lm-Menu-item', { hasText: 'Attach to domain' })
      .click();
    await expect(side).toHaveAttribute('data-tool', 'attach');
    await expect(side.locator('form.jp-IV-attach')).toBeVisible();
    await side.locator('button', { hasText: 'Cancel' }).click();
    await expect(side).toHaveCount(0);

    // A failed version cannot be attached: the item is disabled.
    await view.locator('tr[data-version="3"] .jp-IV-rowMenuButton').click();
    await expect(
      page.locator('.jp-IV-rowMenu .lm-Menu-item', {
        hasText: 'Attach to domain'
      })
    ).toHaveClass(/lm-mod-disabled/);
    await page.keyboard.press('Escape');
    await expect(page.locator('.jp-IV-rowMenu')).toHaveCount(0);
  });
}
