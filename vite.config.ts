import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { writeCdnReport } from './scripts/cdn-report.mjs';
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

/** The CDN folder's build settings, shared by the autoloading module and the classic script. */
const cdnBuild = { target: 'es2022', outDir: 'dist/bundle', sourcemap: true, minify: true } as const;

/**
 * The classic script, built after the module into the same folder: one file with every element
 * (an IIFE cannot import chunks), for CMSs that cannot add `type="module"`.
 */
function classicScript(): Plugin {
  let outDir = '';
  return {
    name: 'cdn-classic-script',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const { build } = await import('vite');
      await build({
        configFile: false,
        logLevel: 'warn',
        plugins: [minifyTemplateCssPlugin()],
        build: {
          ...cdnBuild,
          outDir,
          emptyOutDir: false,
          lib: { entry: 'src/cdn-classic.ts', formats: ['iife'], name: 'GymRealtimeWidgets', fileName: () => 'gym-realtime-widgets.classic.js' },
          rolldownOptions: { output: { minify: true, codeSplitting: false } },
        },
      });
      // Last: the hashes of every file, classic script included.
      writeCdnReport(outDir);
    },
  };
}

/**
 * Two builds from one source:
 * - `vite build`: the library for bundlers — ES modules, Lit left external.
 * - `vite build --mode bundle`: the CDN files, with Lit inside, minified:
 *   `gym-realtime-widgets.js`, the autoloading ES module for `<script type="module">`
 *   on any page (and the demo), which imports each element's code from the
 *   content-hashed `gym-realtime-widgets.*.js` files beside it when its tag
 *   appears; and `gym-realtime-widgets.classic.js`, every element in one
 *   classic script (global `GymRealtimeWidgets`) for CMSs that cannot add
 *   `type="module"`. One run empties dist/bundle/ first and ends by writing
 *   every file's hash (integrity.json), so the folder is the same whichever
 *   command built it last (`npm run build`, `npm start`, `npm run bench`).
 *   `--mode classic` is an alias kept for old scripts.
 */
export default defineConfig(({ mode }) => {
  if (mode === 'gateway') return gatewayBuild;
  if (mode === 'bundle' || mode === 'classic') {
    return {
      plugins: [minifyTemplateCssPlugin(), classicScript()],
      build: {
        ...cdnBuild,
        emptyOutDir: true,
        lib: { entry: 'src/cdn.ts', formats: ['es'], fileName: () => 'gym-realtime-widgets.js' },
        rolldownOptions: {
          output: {
            minify: true,
            chunkFileNames: 'gym-realtime-widgets.[name].[hash].js',
            // One file for what every page needs (Lit, the client, the provider, what the elements
            // share), one per element: a page of three elements makes five requests, not fifteen.
            // The entry holds only the loader, so no chunk imports it (a CMS's `?ver=` on its URL
            // would make it a second module).
            codeSplitting: { groups: [{ name: 'base', test: /node_modules|\/src\/(?:version|core|protocol|events|elements\/(?:shared|realtime-provider))[/.]/ }] },
          },
        },
      },
    };
  }
  return {
    plugins: [minifyTemplateCssPlugin()],
    build: {
      target: 'es2022',
      outDir: 'dist/lib',
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      lib: { entry: { index: 'src/index.ts', elements: 'src/elements.ts', core: 'src/core/index.ts' }, formats: ['es'] },
      rolldownOptions: {
        external: [/^lit($|\/)/, /^@lit\//],
        output: { preserveModules: true, preserveModulesRoot: 'src' },
      },
    },
  };
});
