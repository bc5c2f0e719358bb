/**
 * Compare, in the light and the dark theme at the default sidebar width: only the fields that
 * matter, the differing words marked, IDs and times behind a toggle and in the user's locale,
 * labels unbroken, a third tick refused out loud, and every text at WCAG AA contrast.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import {
  expectReadable,
  openPanel,
  row,
  setTheme,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

for (const theme of THEMES) {
  test(`Compare reads well in the ${theme} theme`, async ({ page }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await row(panel, 4).locator('.jp-IV-select').check();
    await row(panel, 5).locator('.jp-IV-select').check();

    // A third tick is refused with a word, and both selections stay.
    await row(panel, 2).locator('.jp-IV-select').click();
    await expect(
      page.locator('.Toastify__toast', {
        hasText: 'Compare takes two versions'
      })
    ).toBeVisible();
    await expect(row(panel, 2).locator('.jp-IV-select')).not.toBeChecked();
    await expect(row(panel, 4).locator('.jp-IV-select')).toBeChecked();
    await expect(row(panel, 5).locator('.jp-IV-select')).toBeChecked();

    await panel.locator('.jp-IV-compareButton').click();
    const diff = panel.locator('.jp-IV-diff');
    await expect(diff).toBeVisible();
    const field = (name: string) => diff.locator(`tbody[data-field="${name}"]`);

    // Only what matters is counted; what always differs is hidden until asked for.
    for (const hidden of [
      'version',
      'arn',
      'created',
      'modified',
      'container_image'
    ]) {
      await expect(field(hidden)).toHaveCount(0);
    }
    await expect(field('processor')).toHaveAttribute('data-changed', 'true');
    await expect(field('ml_framework')).toHaveAttribute(
      'data-changed',
      'false'
    );
    await expect(field('ml_framework').locator('td')).toHaveText([
      'PyTorch 2.3',
      'PyTorch 2.3'
    ]);
    const changed = await diff.locator('tbody[data-changed="true"]').count();
    await expect(diff.locator('.jp-IV-diffCount')).toHaveText(
      `${changed} fields differ`
    );
    // Labels in words, the API name on hover.
    await expect(field('ml_framework').locator('th')).toHaveText(
      'ML framework'
    );
    await expect(field('ml_framework').locator('th')).toHaveAttribute(
      'title',
      'ml_framework'
    );
    // The differing word is marked, not the whole value.
    await expect(field('base_image').locator('mark')).toHaveText([
      'cpu',
      'gpu'
    ]);
    await expect(field('aliases').locator('mark')).toHaveText([
      '2.3.0-cpu',
      '2.3.0',
      'latest'
    ]);
    await expect(field('processor').locator('td').first()).toHaveAttribute(
      'title',
      'CPU'
    );

    // The toggle shows IDs and times, times in the browser's locale, ISO on hover.
    await diff.locator('.jp-IV-diffToggle input').check();
    await expect(field('arn')).toHaveCount(1);
    const created = field('created').locator('td').first();
    const iso = await created.getAttribute('title');
    expect(iso).toMatch(/^\d{4}-\d\d-\d\dT/);
    const local = await page.evaluate(
      value =>
        new Intl.DateTimeFormat(undefined, {
          dateStyle: 'medium',
          timeStyle: 'short'
        }).format(new Date(value)),
      iso as string
    );
    await expect(created).toHaveText(local);
    await expect(created).not.toHaveText(/T\d\d:|\.\d{6}/);

    // At 250 px no label is broken inside a word: each label's words sit on whole lines.
    const broken = await diff.locator('th.jp-IV-diffLabel').evaluateAll(cells =>
      cells
        .filter(cell => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          const lines = new Set(
            [...range.getClientRects()].map(r => Math.round(r.top))
          );
          const words = (cell.textContent || '').split(/\s+/).length;
          return lines.size > words;
        })
        .map(cell => cell.textContent)
    );
    expect(broken).toEqual([]);
    const overflow = await diff.evaluate(el => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // Every text of Compare, and the status and guidance badges, at 4.5:1 or better.
    await expectReadable(
      diff.locator('td, th, mark, .jp-IV-diffCount, .jp-IV-diffToggle'),
      `Compare (${theme})`
    );
    await expectReadable(panel.locator('.jp-IV-status'), `status (${theme})`);
    await expectReadable(
      panel.locator('.jp-IV-guidance'),
      `guidance (${theme})`
    );
    await expectReadable(
      panel.locator('.jp-IV-legendItem'),
      `timeline legend (${theme})`
    );
  });
}
