import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { cdnIntegrity } from './scripts/cdn-report.mjs';
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

/** The gateway's workspace (`gym-realtime-gateway`, its own package), whichever folder Vite runs in. */
const gatewayRoot = fileURLToPath(new URL('./gateway/', import.meta.url));

/**
 * `vite build --mode gateway` (here, or `npm run build -w gateway`, its `prepack`): the read-only
 * gateway for Node (`gateway/src/`, with the core and protocol code of `src/` it imports), one ES
 * module in gateway/dist/ that the package's `gym-realtime-gateway` bin runs. The code of `src/`
 * is bundled in, so the packed gateway needs nothing of the browser package; its runtime packages
 * (`ws`, `prom-client`) and Node's own stay imports, and no browser build sees them.
 */
const gatewayBuild = {
  root: gatewayRoot,
  build: {
    ssr: 'src/index.ts',
    target: 'node20',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
  },
};

/**
 * Two builds from one source:
 * - `vite build`: the library for bundlers — ES modules, Lit left external.
 * - `vite build --mode bundle`: the CDN files, with Lit inside, minified:
 *   `gym-realtime-widgets.js`, an ES module for `<script type="module">` on any
 *   page (and the demo), and `gym-realtime-widgets.classic.js`, the same as a
 *   classic script (global `GymRealtimeWidgets`) for CMSs that cannot add
 *   `type="module"`. Both come from one run that empties dist/bundle/ first
 *   and ends by writing their hashes (integrity.json), so the folder is the
 *   same whichever command built it last (`npm run build`, `npm start`,
 *   `npm run bench`). `--mode classic` is an alias kept for old scripts.
 */
export default defineConfig(({ mode }) => {
  if (mode === 'gateway') return gatewayBuild;
  const cdn = mode === 'bundle' || mode === 'classic';
  return {
    plugins: [minifyTemplateCssPlugin(), ...(cdn ? [cdnIntegrity()] : [])],
    build: {
      target: 'es2022',
      outDir: cdn ? 'dist/bundle' : 'dist/lib',
      emptyOutDir: true,
      sourcemap: true,
      minify: cdn,
      lib: cdn
        ? {
            entry: 'src/cdn.ts',
            formats: ['es', 'iife'],
            name: 'GymRealtimeWidgets',
            fileName: (format) => (format === 'iife' ? 'gym-realtime-widgets.classic.js' : 'gym-realtime-widgets.js'),
          }
        : { entry: { index: 'src/index.ts', elements: 'src/elements.ts', core: 'src/core/index.ts' }, formats: ['es'] },
      rolldownOptions: {
        external: cdn ? [] : [/^lit($|\/)/, /^@lit\//],
        output: cdn ? { minify: true } : { preserveModules: true, preserveModulesRoot: 'src' },
      },
    },
  };
});
