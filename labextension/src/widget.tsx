import { ReactWidget } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { App } from './components/App';
import { IPanelContext, PanelContext } from './context';

/**
 * The left-sidebar panel. It loads nothing until first shown, and reloads each time it is shown
 * again, so opening it never shows an hour-old history.
 */
export class ImageVersionsPanel extends ReactWidget {
  private readonly shown = new Signal<this, void>(this);
  private everShown = false;

  constructor(private readonly context: IPanelContext) {
    super();
    this.addClass('jp-ImageVersions');
    this.node.tabIndex = -1;
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this.everShown) {
      this.shown.emit();
    } else {
      this.firstShow();
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    // Restored as the open sidebar tab: visible on attach, without a show message.
    if (this.isVisible && !this.everShown) {
      this.firstShow();
    }
  }

  /** Opened from the palette or the tab: focus moves into the panel (its search box). */
  protected onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    const focus = () => {
      const target =
        this.node.querySelector<HTMLElement>('.jp-IV-search input') ??
        this.node;
      target.focus();
    };
    // The first render may still be on its way; the palette hands focus back on close.
    window.requestAnimationFrame(() => window.setTimeout(focus, 0));
  }

  private firstShow(): void {
    this.everShown = true;
    this.update();
  }

  render(): JSX.Element | null {
    if (!this.everShown) {
      return null;
    }
    return (
      <PanelContext.Provider value={this.context}>
        <App shown={this.shown} />
      </PanelContext.Provider>
    );
  }
}
