import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import manifest from '../custom-elements.json';
import { argTypesFor } from './arg-types.mjs';
import { installStoryFetch } from '../stories/support/story-fetch.js';
import './preview.css';
import '../src/index.js';

setCustomElementsManifest(manifest);
installStoryFetch();

/** Puts the widgets of a story in the theme, direction, language and motion chosen in the toolbar. */
const preview: Preview = {
  // A docs page per element, with its full API from custom-elements.json.
  tags: ['autodocs'],
  globalTypes: {
    theme: {
      description: 'Colour theme of the widgets and the page (auto: the OS setting, as theme="auto")',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark', 'auto'], dynamicTitle: true },
    },
    dir: {
      description: 'Text direction',
      toolbar: { title: 'Direction', icon: 'transfer', items: ['ltr', 'rtl'], dynamicTitle: true },
    },
    lang: {
      description: 'Language for dates and numbers',
      toolbar: { title: 'Language', icon: 'globe', items: ['en', 'de', 'fr', 'ar', 'ja'], dynamicTitle: true },
    },
    motion: {
      description: 'Preview reduced motion',
      toolbar: { title: 'Motion', icon: 'play', items: ['full', 'reduced'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'light', dir: 'ltr', lang: 'en', motion: 'full' },
  decorators: [
    (story, { globals }) => {
      document.documentElement.dataset.theme = globals.theme;
      return html`<div class="story-frame ${globals.motion === 'reduced' ? 'reduced-motion' : ''}" data-theme=${globals.theme} dir=${globals.dir} lang=${globals.lang}>${story()}</div>`;
    },
  ],
  parameters: {
    controls: { expanded: true },
    // Every kind of API in its own table section: attributes, text-*, properties, methods, events, slots, states, parts.
    docs: { toc: true, extractArgTypes: (tagName: string) => argTypesFor(manifest, tagName) },
    a11y: { test: 'error' },
  },
};

export default preview;
