/**
 * One voice, every view fits (issue 23), light and dark, the sidebar at 250 px and the window at
 * 1280x800: the sidebar timeline of a 20-version history has no two labels overlapping and none
 * outside its panel; the main table with Compare open shows every heading whole; no notification,
 * table or panel shows an upper-case AWS enum value; Escape closes each main-area side panel; the
 * register form's error clears when a tag is picked.
 *
 * Named to run last: its 20-version image is the newest, so the sidebar would choose it first in
 * the specs after it (they expect the demo's pytorch-training).
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

import {
  expectReadable,
  openPanel,
  rowAction,
  setTheme,
  shotPath,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({
  autoGoto: true,
  mockSettings: galata.DEFAULT_SETTINGS,
  viewport: { width: 1280, height: 800 }
});

const API = '/image-versions/api/';
const TWENTY = 'timeline-twenty';
const REGISTRY = '000000000000.dkr.ecr.us-east-1.amazonaws.com';

/** AWS's enum values as the API spells them; the UI says them in words. */
const ENUM =
  /\b(CREATED|CREATING|CREATE_FAILED|UPDATING|UPDATE_FAILED|DELETING|DELETE_FAILED|NOT_PROVIDED|STABLE|TO_BE_ARCHIVED|ARCHIVED|TRAINING|INFERENCE|NOTEBOOK_KERNEL)\b/;

/** A history of 20 versions, made once per server through the REST API. */
async function twentyVersions(page: IJupyterLabPageFixture): Promise<void> {
  const base = `${API}images/${TWENTY}/versions`;
  const known = await page.request.get(`${base}?limit=100`);
  if (known.status() === 200 && (await known.json()).versions.length >= 20) {
    return;
  }
  for (let n = 1; n <= 20; n++) {
    const aliases = [`2.${n}.0-cpu`, `2.${n}.0`];
    if (n === 20) {
      aliases.push('latest');
    }
    const response = await page.request.post(base, {
      data: {
        base_image: `${REGISTRY}/ml-platform/pytorch:2.3-cpu`,
        aliases,
        vendor_guidance: n < 10 ? 'ARCHIVED' : 'STABLE',
        create_image: n === 1,
        role_arn: 'arn:aws:iam::000000000000:role/SageMakerImageRole'
      }
    });
    expect(response.status(), await response.text()).toBe(202);
  }
  // Settled before the panel opens (the sidebar re-reads a history while versions move).
  await expect
    .poll(
      async () =>
        (
          await (await page.request.get(`${base}?limit=100`)).json()
        ).versions.filter((v: { status: string }) => v.status === 'CREATING')
          .length,
      { timeout: 60000 }
    )
    .toBe(0);
}

/** Boxes of `selector` in `root` that overlap each other or lie outside `root`'s scroll area. */
async function labelClashes(root: Locator, selector: string) {
  return root.evaluate((track, sel) => {
    const outer = track.getBoundingClientRect();
    // The track scrolls sideways: its content runs from -scrollLeft to scrollWidth.
    const left = outer.left - track.scrollLeft;
    const right = left + track.scrollWidth;
    const boxes = [...track.querySelectorAll<HTMLElement>(sel)].map(el => ({
      text: (el.textContent || '').trim(),
      r: el.getBoundingClientRect()
    }));
    const found: string[] = [];
    for (const b of boxes) {
      if (
        b.r.left < left - 0.5 ||
        b.r.right > right + 0.5 ||
        b.r.top < outer.top - 0.5 ||
        b.r.bottom > outer.bottom + 0.5
      ) {
        found.push(`${b.text} outside the panel`);
      }
    }
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach(b => {
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > 0.5 && y > 0.5) {
          found.push(`${a.text} overlaps ${b.text}`);
        }
      })
    );
    return found;
  }, selector);
}

/** The visible text of every notification, table and panel of ours, with no enum in capitals. */
async function expectWords(page: IJupyterLabPageFixture, what: string) {
  const texts = await page
    .locator(
      '.Toastify__toast, #jupyter-image-versions, .jp-IV-historyView, .jp-IV-rowMenu'
    )
    .allInnerTexts();
  const shouting = texts
    .flatMap(t => t.split('\n'))
    .filter(line => ENUM.test(line));
  expect(shouting, `${what}: AWS enum values shown as such`).toEqual([]);
}

for (const theme of THEMES) {
  test(`the sidebar timeline of 20 versions fits 250 px (${theme})`, async ({
    page
  }) => {
    await twentyVersions(page);
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator(`.jp-IV-image[data-image="${TWENTY}"]`).click();
    const track = panel.locator('.jp-IV-timelineTrack');
    // The sidebar loads a page at a time: every version on the timeline.
    const more = panel.locator('.jp-IV-more button');
    while ((await track.locator('.jp-IV-tick').count()) < 20) {
      if (await more.isEnabled()) {
        await more.click();
      }
      await page.waitForTimeout(200);
    }
    await expect(track.locator('.jp-IV-tick')).toHaveCount(20);
    await expect(panel.locator('.jp-IV-spinner')).toHaveCount(0);
    // Each label alone: an alias, a marker, a version number.
    const labels = '.jp-IV-tickAlias, .jp-IV-dot, .jp-IV-tickLabel';
    expect(await labelClashes(track, labels)).toEqual([]);
    // The track itself lies inside the panel.
    const [p, t] = await Promise.all([
      panel.boundingBox(),
      track.boundingBox()
    ]);
    expect(t!.x).toBeGreaterThanOrEqual(p!.x - 0.5);
    expect(t!.x + t!.width).toBeLessThanOrEqual(p!.x + p!.width + 0.5);
    // The demo's history too (v1 at the left edge, "latest" at the right).
    await panel.locator('.jp-IV-image[data-image="pytorch-training"]').click();
    await expect(track.locator('.jp-IV-tick[data-version="5"]')).toBeVisible();
    expect(await labelClashes(track, labels)).toEqual([]);
    await track.evaluate(el => (el.scrollLeft = 0));
    expect(await labelClashes(track, labels)).toEqual([]);
    await panel.locator(`.jp-IV-image[data-image="${TWENTY}"]`).click();
    await expect(track.locator('.jp-IV-tick').first()).toBeVisible();
    await panel.screenshot({ path: shotPath(`timeline-20-${theme}.png`) });
  });

  test(`the main table fits 1280 px with Compare open (${theme})`, async ({
    page
  }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-image[data-image="pytorch-training"]').click();
    await panel.locator('.jp-IV-historyButton').click();
    const view = page.locator('.jp-IV-historyView');
    await expect(view.locator('tbody tr[data-version="5"]')).toBeVisible();
    await view.locator('tr[data-version="5"] input[type="checkbox"]').check();
    await view.locator('tr[data-version="4"] input[type="checkbox"]').check();
    await expect(view.locator('.jp-IV-diff')).toBeVisible();

    // Every heading whole: on one line and not cut by its cell or the table's box.
    const cut = await view.locator('thead th').evaluateAll(cells =>
      cells
        .filter(cell => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          const lines = new Set(
            [...range.getClientRects()].map(r => Math.round(r.top))
          );
          const text = range.getBoundingClientRect();
          const box = cell.getBoundingClientRect();
          return (
            lines.size > 1 ||
            cell.scrollWidth > cell.clientWidth + 1 ||
            text.right > box.right + 1
          );
        })
        .map(cell => cell.textContent)
    );
    expect(cut).toEqual([]);
    // Short values on one line ("Python 3.11", "2.3.0-cpu"); long ones whole on hover.
    const wrapped = await view
      .locator(
        '.jp-IV-historyTable tbody td:not([data-column="release_notes"])'
      )
      .evaluateAll(cells =>
        cells
          .filter(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return (
              new Set([...range.getClientRects()].map(r => Math.round(r.top)))
                .size > 1
            );
          })
          .map(cell => cell.textContent)
      );
    expect(wrapped).toEqual([]);
    const notes = view
      .locator('.jp-IV-historyTable tbody td[data-column="release_notes"]')
      .first();
    await expect(notes).toHaveAttribute('title', /.+/);
    // The table scrolls in its own box; the window does not.
    expect(
      await view.evaluate(el => el.scrollWidth - el.clientWidth)
    ).toBeLessThanOrEqual(0);
    await expectWords(page, `main area (${theme})`);
    await page.screenshot({ path: shotPath(`history-compare-${theme}.png`) });
  });

  test(`Escape closes each main-area side panel (${theme})`, async ({
    page
  }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-image[data-image="pytorch-training"]').click();
    await panel.locator('.jp-IV-historyButton').click();
    const view = page.locator('.jp-IV-historyView');
    const target = view.locator('tr[data-version="5"]');
    await expect(target).toBeVisible();
    const side = view.locator('.jp-IV-historySide');

    await rowAction(page, target, 'Check image');
    await expect(side.locator('.jp-IV-sideTool')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(side).toHaveCount(0);

    await rowAction(page, target, 'Attach to domain');
    await expect(side.locator('form.jp-IV-attach')).toBeVisible();
    // Its title once.
    await expect(side.getByText(/^Attach v5/)).toHaveCount(1);
    await side.locator('select, input').first().focus();
    await page.keyboard.press('Escape');
    await expect(side).toHaveCount(0);

    await view.locator('tr[data-version="5"] input[type="checkbox"]').check();
    await view.locator('tr[data-version="4"] input[type="checkbox"]').check();
    await expect(side.locator('.jp-IV-diff')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(side).toHaveCount(0);
  });

  test(`statuses and guidance read as words everywhere (${theme})`, async ({
    page
  }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-image[data-image="pytorch-training"]').click();
    const v4 = panel.locator('.jp-IV-history .jp-IV-row[data-version="4"]');
    await rowAction(page, v4, 'Set guidance', 'To be archived');
    await expect(
      page.locator('.Toastify__toast', { hasText: 'Version 4 is now' })
    ).toBeVisible();
    await expectWords(page, `sidebar (${theme})`);
    await rowAction(page, v4, 'Set guidance', 'Stable');
    await expect(
      page.locator('.Toastify__toast', { hasText: 'Version 4 is now Stable' })
    ).toBeVisible();
    await expectWords(page, `sidebar (${theme})`);

    // A search with no match hides the image's history with the image; clearing brings it back.
    const search = panel.locator('.jp-IV-search input');
    await search.fill('no-such-image');
    await expect(panel.locator('.jp-IV-history')).toHaveCount(0);
    await search.fill('');
    await expect(v4).toBeVisible();
    // The ECR picker's tags read in the body colour, not as accent links.
    await panel.locator('.jp-IV-registerButton').click();
    await panel.locator('.jp-IV-pickEcr').click();
    const tag = panel.locator('.jp-IV-ecrImages li button').first();
    await expect(tag).toBeVisible();
    const [tagColour, bodyColour] = await Promise.all([
      tag.evaluate(el => getComputedStyle(el).color),
      panel.evaluate(el => getComputedStyle(el).color)
    ]);
    expect(tagColour).toBe(bodyColour);
  });

  test(`the register form's error clears when a tag is picked (${theme})`, async ({
    page
  }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-image[data-image="pytorch-training"]').click();
    await panel.locator('.jp-IV-registerButton').click();
    const form = panel.locator('form.jp-IV-register');
    await form.locator('button[type="submit"]').click();
    const message = form.locator(
      '.jp-IV-fieldMessage[data-field="base_image"]'
    );
    await expect(message).toHaveText('Base image is required');
    const input = form.locator('input[name="base_image"]');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await form.locator('.jp-IV-pickEcr').click();
    await form
      .locator('.jp-IV-ecrImages li[data-tag="2.3-gpu"] button')
      .click();
    await expect(input).toHaveValue(/pytorch:2\.3-gpu$/);
    await expect(message).toHaveCount(0);
    await expect(input).not.toHaveAttribute('aria-invalid', 'true');
    // As typed: a bad framework is named at once, and the message goes when it is fixed.
    await form.locator('input[name="ml_framework"]').fill('pytorch');
    const framework = form.locator(
      '.jp-IV-fieldMessage[data-field="ml_framework"]'
    );
    await expect(framework).toContainText('ML framework');
    await form.locator('input[name="ml_framework"]').fill('PyTorch 2.3');
    await expect(framework).toHaveCount(0);
  });
}

for (const theme of THEMES) {
  test(`export's buttons fit one line and read at 4.5:1 (${theme})`, async ({
    page
  }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-image[data-image="pytorch-training"]').click();
    await panel.locator('.jp-IV-exportButton').click();
    const view = panel.locator('.jp-IV-export');
    await expect(view.locator('.jp-IV-exportCode')).toContainText(
      'AWS::SageMaker::ImageVersion'
    );
    const buttons = view.locator('.jp-IV-exportButtons button');
    // One line: every button's vertical extent overlaps every other's.
    const spans = await buttons.evaluateAll(els =>
      els.map(el => {
        const r = el.getBoundingClientRect();
        return [r.top, r.bottom];
      })
    );
    expect(spans.length).toBeGreaterThanOrEqual(3);
    expect(
      Math.max(...spans.map(s => s[0])),
      `button rows ${JSON.stringify(spans)}`
    ).toBeLessThan(Math.min(...spans.map(s => s[1])));
    await expectReadable(
      view.locator('.jp-IV-exportButtons .jp-Button'),
      `export buttons (${theme})`
    );
    // Close sits on the heading's line.
    const [head, close] = await Promise.all([
      view.locator('.jp-IV-sectionHead h3').boundingBox(),
      view.locator('.jp-IV-exportClose').boundingBox()
    ]);
    expect(close!.y).toBeLessThan(head!.y + head!.height);
    // Where Open in editor writes, said before it writes.
    await expect(view.locator('.jp-IV-exportFile')).toContainText(
      'saves pytorch-training'
    );
    await panel.screenshot({ path: shotPath(`export-250-${theme}.png`) });
  });
}
