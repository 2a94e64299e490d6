import { defineConfig, type Plugin } from 'vite';
import { minifyTemplateCss } from './scripts/template-css.mjs';

/** Minifies the CSS in the elements' css`…` templates (see scripts/template-css.mjs). */
function minifyTemplateCssPlugin(): Plugin {
  return {
    name: 'minify-template-css',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      return { code: minifyTemplateCss(code), map: null };
    },
  };
}

/**
 * Three builds from one source:
 * - `vite build`: the library for bundlers — ES modules, Lit left external.
 * - `vite build --mode bundle`: one self-contained, minified ES module with Lit
 *   inside, for `<script type="module">` on any page (and the demo).
 * - `vite build --mode classic`: the same as a classic script (global
 *   `GymRealtimeWidgets`), for CMSs that cannot add `type="module"`.
 */
export default defineConfig(({ mode }) => {
  const cdn = mode === 'bundle' || mode === 'classic';
  return {
    plugins: [minifyTemplateCssPlugin()],
    build: {
      target: 'es2022',
      outDir: cdn ? 'dist/bundle' : 'dist/lib',
      // The two CDN builds share dist/bundle; the module build (first in `npm run build`) empties it.
      emptyOutDir: mode !== 'classic',
      sourcemap: true,
      minify: cdn,
      lib: cdn
        ? {
            entry: 'src/cdn.ts',
            formats: [mode === 'classic' ? 'iife' : 'es'],
            name: 'GymRealtimeWidgets',
            fileName: () => (mode === 'classic' ? 'gym-realtime-widgets.classic.js' : 'gym-realtime-widgets.js'),
          }
        : { entry: { index: 'src/index.ts', core: 'src/core/index.ts' }, formats: ['es'] },
      rolldownOptions: {
        external: cdn ? [] : [/^lit($|\/)/, /^@lit\//],
        output: cdn ? { minify: true } : { preserveModules: true, preserveModulesRoot: 'src' },
      },
    },
  };
});
