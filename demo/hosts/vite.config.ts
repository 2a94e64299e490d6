import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The framework host pages (React 19, Vue 3), built as an app developer builds
 * theirs: `import 'gym-realtime-widgets'` resolved to this repository's source.
 * Output in dist/hosts/, served by the demo server at /react.html and /vue.html.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  logLevel: 'warn',
  resolve: { alias: { 'gym-realtime-widgets': here('../../src/index.ts') } },
  define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../../dist/hosts'),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: { input: { react: here('react.html'), vue: here('vue.html') } },
  },
});
