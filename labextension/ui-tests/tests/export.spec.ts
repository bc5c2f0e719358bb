/**
 * Export in both themes at the default sidebar width: the code wraps instead of being clipped,
 * and opens in a new editor tab named as suggested (untitled.yaml when that name is taken),
 * highlighted by CodeMirror.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import { openPanel, setTheme, SIDEBAR_WIDTH, THEMES } from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });
test.describe.configure({ mode: 'serial' });

for (const theme of THEMES) {
  test(`export opens in an editor tab (${theme})`, async ({ page }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-exportButton').click();
    const view = panel.locator('.jp-IV-export');
    const code = view.locator('.jp-IV-exportCode');
    await expect(code).toContainText('AWS::SageMaker::ImageVersion');
    // Nothing runs past the sidebar's right edge.
    expect(
      await code.evaluate(el => el.scrollWidth - el.clientWidth)
    ).toBeLessThanOrEqual(0);
    // Highlighted in the sidebar too, by CodeMirror's YAML parser: tokens in coloured spans
    // (more than one colour), and only spans (text, never parsed HTML).
    await expect(code.locator('code span').first()).toBeVisible();
    const colours = await code.evaluate(el => [
      ...new Set(
        [...el.querySelectorAll('span')].map(s => getComputedStyle(s).color)
      )
    ]);
    expect(colours.length).toBeGreaterThan(1);
    await expect(code.locator(':not(code):not(span)')).toHaveCount(0);

    await view.locator('.jp-IV-openEditor').click();
    // The first run saves under the suggested name; the next finds it taken.
    const name =
      theme === 'light' ? 'pytorch-training.template.yaml' : /untitled.*\.yaml/;
    const tab = page.locator(
      '.jp-MainAreaWidget .lm-TabBar-tab, .lm-DockPanel-tabBar .lm-TabBar-tab',
      {
        hasText: name
      }
    );
    await expect(tab.first()).toBeVisible();
    const editor = page.locator('.jp-FileEditor .cm-content').last();
    await expect(editor).toContainText('AWS::SageMaker::ImageVersion');
    // CodeMirror's YAML mode: the keys are highlighted spans, not plain text.
    await expect
      .poll(() => editor.locator('span[class]').count())
      .toBeGreaterThan(5);
  });
}
