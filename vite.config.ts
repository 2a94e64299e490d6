import { defineConfig } from 'vite';

/**
 * Two builds from one source:
 * - `vite build`: the library for bundlers — ES modules, Lit left external.
 * - `vite build --mode bundle`: one self-contained, minified ES module with Lit
 *   inside, for `<script type="module">` on any page.
 */
export default defineConfig(({ mode }) => {
  const bundle = mode === 'bundle';
  return {
    build: {
      target: 'es2022',
      outDir: bundle ? 'dist/bundle' : 'dist/lib',
      emptyOutDir: true,
      sourcemap: true,
      minify: bundle,
      lib: {
        entry: bundle ? { 'gym-realtime-widgets': 'src/index.ts' } : { index: 'src/index.ts', core: 'src/core/index.ts' },
        formats: ['es'],
      },
      rolldownOptions: {
        external: bundle ? [] : [/^lit($|\/)/, /^@lit\//],
        output: bundle ? { minify: true } : { preserveModules: true, preserveModulesRoot: 'src' },
      },
    },
  };
});
