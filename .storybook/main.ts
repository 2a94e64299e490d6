import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  // Offline machines: telemetry only slows the build down.
  core: { disableTelemetry: true },
  async viteFinal(config) {
    // One copy of Lit in dev mode too.
    const include = ['lit', 'lit/directive-helpers.js', 'lit/directives/keyed.js', 'lit/directives/ref.js', '@lit/context'];
    // The module-mocking runtime is unused here, and with Vite 8 its entry is referenced but never emitted (a 404 in every story).
    const plugins = (config.plugins ?? []).flat().filter((plugin) => !(plugin && 'name' in plugin && plugin.name === 'vite:storybook-inject-mocker-runtime'));
    return {
      ...config,
      plugins,
      optimizeDeps: { ...config.optimizeDeps, include: [...(config.optimizeDeps?.include ?? []), ...include] },
      // Storybook's own docs and preview chunks are ~1 MB; the size that matters is the widgets' (npm run size).
      build: { ...config.build, chunkSizeWarningLimit: 1500 },
    };
  },
};

export default config;
