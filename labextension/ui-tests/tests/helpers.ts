/**
 * Shared pieces of the Galata tests: opening the panel, the theme and width every check runs
 * at, WCAG contrast computed from the rendered colours, and where screenshots go.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';
import * as path from 'path';

/** JupyterLab's default sidebar width, where the panel must read well. */
export const SIDEBAR_WIDTH = 250;
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * Screenshots go to an ignored folder on a normal run; `jlpm run screenshots` sets
 * IV_SCREENSHOTS_DIR=../../docs to refresh the ones in docs/ that the README shows.
 */
export function shotPath(name: string): string {
  const dir = path.resolve(
    __dirname,
    '..',
    process.env.IV_SCREENSHOTS_DIR || 'screenshots'
  );
  return path.join(dir, name);
}

export async function setTheme(
  page: IJupyterLabPageFixture,
  theme: Theme
): Promise<void> {
  if (theme === 'dark') {
    await page.theme.setDarkTheme();
  } else {
    await page.theme.setLightTheme();
  }
}

export async function openPanel(
  page: IJupyterLabPageFixture
): Promise<Locator> {
  await page.keyboard.press('Control+Shift+C');
  const input = page.locator('.lm-CommandPalette-input');
  await input.fill('Image Versions: Open');
  await page
    .locator('.lm-CommandPalette-item', { hasText: 'Image Versions: Open' })
    .first()
    .click();
  const panel = page.locator('#jupyter-image-versions');
  await expect(panel).toBeVisible();
  await expect(panel.locator('.jp-IV-row').first()).toBeVisible();
  return panel;
}

export function row(panel: Locator, version: number): Locator {
  return panel.locator(`.jp-IV-history .jp-IV-row[data-version="${version}"]`);
}

export interface IContrast {
  text: string;
  color: string;
  background: string;
  ratio: number;
}

/**
 * The WCAG contrast ratio of each element's text against the background it is drawn on:
 * computed colours, translucent text and backgrounds composited over their ancestors.
 */
export async function contrasts(target: Locator): Promise<IContrast[]> {
  return target.evaluateAll(elements => {
    type RGBA = [number, number, number, number];
    const parse = (css: string): RGBA => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) {
        return [0, 0, 0, 0];
      }
      const p = m[1]
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top: RGBA, under: RGBA): RGBA => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) {
        return [0, 0, 0, 0];
      }
      const mix = (i: number) =>
        (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const backgroundOf = (el: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let node: Element | null = el; node; node = node.parentElement) {
        const layer = parse(getComputedStyle(node).backgroundColor);
        if (layer[3] > 0) {
          layers.push(layer);
          if (layer[3] >= 1) {
            break;
          }
        }
      }
      let result: RGBA = [255, 255, 255, 1];
      for (const layer of layers.reverse()) {
        result = over(layer, result);
      }
      return result;
    };
    const luminance = (c: RGBA) => {
      const lin = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
    };
    return elements.map(el => {
      const background = backgroundOf(el);
      const color = over(parse(getComputedStyle(el).color), background);
      const [hi, lo] = [luminance(color), luminance(background)].sort(
        (x, y) => y - x
      );
      const fmt = (c: RGBA) =>
        `rgb(${c.slice(0, 3).map(Math.round).join(',')})`;
      return {
        text: (el.textContent || '').trim().slice(0, 40),
        color: fmt(color),
        background: fmt(background),
        ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100
      };
    });
  });
}

/** Every element's contrast meets WCAG AA for normal text (4.5:1); the failures are named. */
export async function expectReadable(
  target: Locator,
  what: string
): Promise<void> {
  const found = await contrasts(target);
  expect(found.length, `${what}: nothing to measure`).toBeGreaterThan(0);
  const poor = found.filter(c => c.ratio < 4.5);
  expect(poor, `${what} below 4.5:1`).toEqual([]);
}

/**
 * Run an action from a version's "⋯" menu (the sidebar's row or the main-area table's):
 * `item`, or `item` then `choice` in its submenu.
 */
export async function rowAction(
  page: IJupyterLabPageFixture,
  target: Locator,
  item: string,
  choice?: string
): Promise<void> {
  await target.locator('.jp-IV-rowMenuButton').click();
  const menu = page.locator('.jp-IV-rowMenu');
  await expect(menu).toBeVisible();
  const entry = menu.locator('.lm-Menu-item', { hasText: item });
  if (choice === undefined) {
    await entry.click();
    return;
  }
  await entry.hover();
  const exact = new RegExp(
    `^${choice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`
  );
  await page.locator('.lm-Menu .lm-Menu-itemLabel', { hasText: exact }).click();
}
