/**
 * A version's actions as a JupyterLab (Lumino) menu opened from its "⋯" button: the same menu
 * in the sidebar's rows and in the main-area table, so narrow rows clip no button.
 */

import { Clipboard } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { MenuSvg } from '@jupyterlab/ui-components';
import { Menu } from '@lumino/widgets';

import { enumWords } from '../labels';
import { IImageVersion, VENDOR_GUIDANCE } from '../types';
import { IVersionActions } from './versionActions';

export interface IRowMenuOptions {
  version: IImageVersion;
  /** Every alias of the image -> the version holding it. */
  aliases: Record<string, number>;
  actions: IVersionActions;
  trans: TranslationBundle;
  /** Show the image check of the version's base image. */
  onCheck: () => void;
  /** Show the form attaching the version to a Studio domain. */
  onAttach: () => void;
  /** Show what the version holds (packages, OS, Python) in the main area. */
  onContents?: () => void;
  /** Show the form deriving a new version (packages added, no Docker), where the row has it. */
  onDerive?: () => void;
  /** Show the version's details (facts, Add alias), where the row has them. */
  onDetails?: () => void;
}

/** Open the menu under `anchor`; focus returns to it when the menu closes. */
export function openRowMenu(
  anchor: HTMLElement,
  options: IRowMenuOptions,
  byKeyboard = false
): Menu {
  const { version: v, actions, trans } = options;
  const commands = new CommandRegistry();
  const idle = () => !actions.working;
  const add = (id: string, spec: CommandRegistry.ICommandOptions) =>
    commands.addCommand(id, spec);

  add('details', {
    label: trans.__('Details and Add alias'),
    execute: () => options.onDetails?.()
  });
  add('contents', {
    label: trans.__('Contents'),
    caption: trans.__('The packages, OS, Python and CUDA in this version'),
    isEnabled: () => v.status === 'CREATED' && Boolean(v.base_image),
    execute: () => options.onContents?.()
  });
  add('check', {
    label: trans.__('Check image'),
    caption: trans.__('What stops Studio from starting this base image'),
    isEnabled: () => Boolean(v.base_image),
    execute: options.onCheck
  });
  add('attach', {
    label: trans.__('Attach to domain…'),
    caption: trans.__('Make this version a custom image of a Studio domain'),
    isEnabled: () => v.status === 'CREATED',
    execute: options.onAttach
  });
  add('derive', {
    label: trans.__('Derive new version…'),
    caption: trans.__(
      'Add Python packages to this image and register the result'
    ),
    isEnabled: () => v.status === 'CREATED' && Boolean(v.base_image),
    execute: () => options.onDerive?.()
  });
  add('move', {
    label: args =>
      trans.__(
        '%1 (now v%2)',
        String(args.alias),
        options.aliases[String(args.alias)]
      ),
    isEnabled: idle,
    execute: args => void actions.moveAlias(String(args.alias))
  });
  add('no-move', {
    label: trans.__('Move alias here (no other alias)'),
    isEnabled: () => false,
    execute: () => undefined
  });
  const current = v.vendor_guidance || 'NOT_PROVIDED';
  add('guidance', {
    label: args => enumWords(String(args.value)),
    caption: args => String(args.value),
    isToggled: args => args.value === current,
    isEnabled: args => idle() && args.value !== current,
    execute: args => void actions.setGuidance(String(args.value))
  });
  add('copy', {
    label: trans.__('Copy base image'),
    isEnabled: () => Boolean(v.base_image),
    execute: () => Clipboard.copyToSystem(v.base_image ?? '')
  });
  add('delete', {
    label: trans.__('Delete version…'),
    className: 'jp-IV-menuDelete',
    isEnabled: idle,
    execute: () => void actions.remove()
  });

  const menu = new MenuSvg({ commands });
  menu.addClass('jp-IV-rowMenu');
  menu.node.setAttribute('data-version', String(v.version));
  if (options.onDetails) {
    menu.addItem({ command: 'details' });
    menu.addItem({ type: 'separator' });
  }
  if (options.onContents) {
    menu.addItem({ command: 'contents' });
  }
  menu.addItem({ command: 'check' });
  menu.addItem({ command: 'attach' });
  if (options.onDerive) {
    menu.addItem({ command: 'derive' });
  }
  const movable = Object.keys(options.aliases)
    .filter(alias => options.aliases[alias] !== v.version)
    .sort();
  const submenus: Menu[] = [];
  /** A submenu of `command`, once for each of its `args`. */
  const addSubmenu = (
    className: string,
    label: string,
    command: string,
    args: Record<string, string>[]
  ) => {
    const submenu = new MenuSvg({ commands });
    submenu.addClass(className);
    submenu.title.label = label;
    args.forEach(a => submenu.addItem({ command, args: a }));
    menu.addItem({ type: 'submenu', submenu });
    submenus.push(submenu);
  };
  if (movable.length) {
    addSubmenu(
      'jp-IV-moveMenu',
      trans.__('Move alias here'),
      'move',
      movable.map(alias => ({ alias }))
    );
  } else {
    menu.addItem({ command: 'no-move' });
  }
  addSubmenu(
    'jp-IV-guidanceMenu',
    trans.__('Set guidance'),
    'guidance',
    VENDOR_GUIDANCE.map(value => ({ value }))
  );
  menu.addItem({ command: 'copy' });
  menu.addItem({ type: 'separator' });
  menu.addItem({ command: 'delete' });

  menu.aboutToClose.connect(() => {
    anchor.focus();
    // The chosen command runs right after the close: dispose once it has.
    window.requestAnimationFrame(() => {
      submenus.forEach(m => m.dispose());
      menu.dispose();
    });
  });
  const box = anchor.getBoundingClientRect();
  menu.open(box.left, box.bottom);
  if (byKeyboard) {
    menu.activeIndex = 0;
  }
  return menu;
}
