/**
 * What versions hold, in both themes with the sidebar at its default width: a version's
 * Contents (the summary, the packages grouped by ecosystem, filter and sort), Compare's
 * Packages section, Find marking the versions that match, the register form's draft and
 * suggestions; a long read shows its progress and is cancelled.
 *
 * The demo's pytorch-training history (local/sample_contents.py): v1 2.1-gpu, v2 2.2-gpu,
 * v3 failed, v4 2.3-cpu, v5 2.3-gpu; torch 2.1 → 2.2 → 2.3, numpy 1.26 → 2.0, lightning
 * added and tensorboard removed in 2.3.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import {
  expectReadable,
  openPanel,
  row,
  rowAction,
  setTheme,
  shotPath,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

for (const theme of THEMES) {
  test(`Contents of a version (${theme})`, async ({ page }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await rowAction(page, row(panel, 5), 'Contents');
    const view = page.locator(
      '.jp-IV-contentsView[data-target="pytorch-training:5"]'
    );
    await expect(view).toHaveAttribute('data-state', 'done', {
      timeout: 60000
    });
    const fact = (name: string) =>
      view.locator(`.jp-IV-fact[data-fact="${name}"] dd`);
    await expect(fact('os')).toHaveText('Ubuntu 22.04.4 LTS');
    await expect(fact('python')).toContainText('3.11.9');
    await expect(fact('cuda')).toHaveText('12.1.1');
    await expect(fact('layers')).not.toHaveText('');

    // Grouped by ecosystem, each group headed by its name and count.
    const groups = view.locator('.jp-IV-packageTable tbody');
    expect(
      await groups.evaluateAll(els =>
        els.map(el => el.getAttribute('data-ecosystem'))
      )
    ).toEqual(['pypi', 'conda', 'deb']);
    const torch = view.locator(
      'tbody[data-ecosystem="pypi"] tr[data-name="torch"]'
    );
    await expect(torch.locator('td[data-column="version"]')).toHaveText(
      '2.3.0'
    );

    // The filter reads every column; an ecosystem can be left out.
    const filter = view.locator('.jp-IV-packageFilter input');
    await filter.fill('numpy');
    await expect(
      view.locator('tbody[data-ecosystem="pypi"] tr[data-name]')
    ).toHaveCount(1);
    await filter.fill('');
    await view
      .locator('.jp-IV-ecosystemToggle[data-ecosystem="deb"] input')
      .uncheck();
    await expect(view.locator('tbody[data-ecosystem="deb"]')).toHaveCount(0);
    await view
      .locator('.jp-IV-ecosystemToggle[data-ecosystem="deb"] input')
      .check();

    // Sorting by version puts 2.x before 10.x (numbers, not text).
    await view.locator('th[data-column="version"] button').click();
    await expect(view.locator('th[data-column="version"]')).toHaveAttribute(
      'aria-sort',
      'ascending'
    );
    const versions = await view
      .locator('tbody[data-ecosystem="pypi"] td[data-column="version"]')
      .allTextContents();
    const major = versions.map(v => Number(v.split('.')[0]));
    expect(major).toEqual([...major].sort((a, b) => a - b));
    await view.locator('th[data-column="name"] button').click();

    await expectReadable(
      view.locator('.jp-IV-contentsSummary dt, .jp-IV-contentsSummary dd'),
      `contents summary (${theme})`
    );
    await expectReadable(
      view.locator('.jp-IV-packageTable td, .jp-IV-groupHead th'),
      `package table (${theme})`
    );
    await view.screenshot({ path: shotPath(`contents-${theme}.png`) });
  });

  test(`Compare's Packages and Find (${theme})`, async ({ page }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-historyButton').click();
    const view = page.locator('.jp-IV-historyView');
    await expect(view.locator('.jp-IV-historyTable tbody tr')).toHaveCount(5);

    // Compare v2 and v5: the package changes, counted in the heading.
    await view.locator('tr[data-version="2"] input[type="checkbox"]').check();
    await view.locator('tr[data-version="5"] input[type="checkbox"]').check();
    const packages = view.locator('.jp-IV-packagesDiff');
    await expect(packages).toHaveAttribute('data-state', 'done', {
      timeout: 60000
    });
    await expect(packages.locator('h3')).toHaveText(
      /^Packages: \d+ changed, \d+ added, \d+ removed$/
    );
    const change = (kind: string, name: string) =>
      packages.locator(
        `.jp-IV-packageChange[data-kind="${kind}"][data-name="${name}"]`
      );
    await expect(change('changed', 'torch')).toContainText('2.2.1');
    await expect(change('changed', 'torch')).toContainText('2.3.0');
    await expect(change('changed', 'numpy')).toContainText('major');
    await expect(change('added', 'lightning')).toBeVisible();
    await expect(change('removed', 'tensorboard')).toBeVisible();
    // Filterable: only the matching changes stay.
    await packages.locator('.jp-IV-packageFilter input').fill('torch');
    await expect(change('changed', 'numpy')).toHaveCount(0);
    await expect(change('changed', 'torch')).toBeVisible();
    await packages.locator('.jp-IV-packageFilter input').fill('');
    await expectReadable(
      packages.locator('td, h3, .jp-IV-changeKind'),
      `package changes (${theme})`
    );
    await packages.screenshot({
      path: shotPath(`compare-packages-${theme}.png`)
    });
    await view.locator('tr[data-version="2"] input[type="checkbox"]').uncheck();
    await view.locator('tr[data-version="5"] input[type="checkbox"]').uncheck();

    // Find: the versions whose contents meet every requirement are marked, and named.
    await view.locator('.jp-IV-findInput input').fill('torch >= 2.2 numpy<2');
    await view.locator('.jp-IV-findButton').click();
    await expect(view.locator('.jp-IV-find')).toHaveAttribute(
      'data-state',
      'done',
      { timeout: 60000 }
    );
    await expect(view.locator('tr[data-found="true"]')).toHaveCount(1);
    await expect(view.locator('tr[data-version="2"]')).toHaveAttribute(
      'data-found',
      'true'
    );
    await expect(view.locator('tr[data-version="5"]')).toHaveAttribute(
      'data-found',
      'false'
    );
    // The failed v3 has no image to read: said so, not "no match".
    await expect(view.locator('tr[data-version="3"]')).toHaveAttribute(
      'data-found',
      'unread'
    );
    await expect(view.locator('.jp-IV-findResult')).toContainText(
      '1 of the 4 versions read match torch>=2.2 numpy<2: v2 (torch 2.2.1, numpy 1.26.4)'
    );
    await expectReadable(
      view.locator('.jp-IV-findResult, tr[data-found] td[data-column="found"]'),
      `find (${theme})`
    );
    await view.screenshot({ path: shotPath(`find-${theme}.png`) });

    // A requirement the server cannot read is named, not a traceback.
    await view.locator('.jp-IV-findInput input').fill('torch>=>2');
    await view.locator('.jp-IV-findButton').click();
    await expect(view.locator('.jp-IV-readError')).toContainText('requirement');
  });

  test(`the register form's draft and suggestions (${theme})`, async ({
    page
  }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    const base = await row(panel, 5)
      .locator('.jp-IV-baseImage')
      .getAttribute('title');
    await panel.locator('.jp-IV-registerButton').click();
    const form = panel.locator('form.jp-IV-register');
    await form.locator('input[name="base_image"]').fill(base!);
    const notes = form.locator('textarea[name="release_notes"]');
    await expect(notes).toHaveValue('');
    // Since v2 (the newest CREATED version, v5, holds the same image).
    await form.locator('.jp-IV-draftSince select').selectOption('2');
    await form.locator('.jp-IV-draftButton').click();
    await expect(notes).not.toHaveValue('', { timeout: 60000 });
    const drafted = await notes.inputValue();
    expect(drafted).toMatch(
      /^torch 2\.2\.1 → 2\.3\.0|numpy 1\.26\.4 → 2\.0\.0/
    );
    // The counter shows it fits the model's limit.
    await expect(form.locator('.jp-IV-counter')).toHaveAttribute(
      'data-over',
      'false'
    );
    // Framework and language are offered, and only a click puts them in the form.
    const framework = form.locator('input[name="ml_framework"]');
    await expect(framework).toHaveValue('');
    const suggestion = form.locator(
      '.jp-IV-suggestion[data-field="ml_framework"]'
    );
    await expect(suggestion).toContainText('PyTorch 2.3');
    await expect(
      form.locator('.jp-IV-suggestion[data-field="programming_lang"]')
    ).toContainText('Python 3.11');
    await expectReadable(
      form.locator('.jp-IV-suggestion span, .jp-IV-counter'),
      `suggestions (${theme})`
    );
    // The picture: the sidebar at 250 px, the framework fields above the drafted notes.
    await expect(form.locator('.jp-IV-doctor')).toHaveAttribute(
      'data-state',
      'done'
    );
    await form
      .locator('.jp-IV-draftBox')
      .evaluate(el => el.scrollIntoView({ block: 'end' }));
    await panel.screenshot({ path: shotPath(`register-draft-${theme}.png`) });
    await suggestion.locator('.jp-IV-useSuggestion').click();
    await expect(framework).toHaveValue('PyTorch 2.3');
    await expect(suggestion).toHaveCount(0);
  });
}

test('a long read shows its progress and can be cancelled', async ({
  page
}) => {
  // The answer is held back (not changed) so that the read is still under way at Cancel.
  await page.route('**/image-versions/api/contents?**', async route => {
    await new Promise(resolve => setTimeout(resolve, 4000));
    await route.continue().catch(() => undefined);
  });
  const panel = await openPanel(page);
  await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
  await rowAction(page, row(panel, 4), 'Contents');
  const view = page.locator('.jp-IV-contentsView');
  const progress = view.locator('.jp-IV-readProgress');
  await expect(progress).toHaveAttribute('data-state', 'loading');
  await expect(progress.locator('.jp-IV-spinner')).toBeVisible();
  await expect(progress).toContainText(/\d+ s/);
  await progress.locator('.jp-IV-cancelRead').click();
  await expect(view).toHaveAttribute('data-state', 'cancelled');
  await expect(progress).toContainText('Cancelled');
  await page.unroute('**/image-versions/api/contents?**');
  await progress.locator('button', { hasText: 'Read again' }).click();
  await expect(view).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await expect(view.locator('.jp-IV-fact[data-fact="cuda"] dd')).toHaveText(
    'none'
  );
});
