import { defineConfig, type Plugin } from 'vite';

/**
 * Minifies the CSS inside the elements' css`…` templates, which a JavaScript
 * minifier leaves as written: comments go, and white space that cannot matter
 * (runs, around braces and semicolons, after colons and commas — our styles
 * have no strings where that would show).
 */
function minifyTemplateCss(): Plugin {
  return {
    name: 'minify-template-css',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      return code.replace(/css`([^`]*)`/g, (_, body: string) => {
        const css = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,])\s*/g, '$1')
          .replace(/: /g, ':')
          .trim();
        return `css\`${css}\``;
      });
    },
  };
}

/**
 * Two builds from one source:
 * - `vite build`: the library for bundlers — ES modules, Lit left external.
 * - `vite build --mode bundle`: one self-contained, minified ES module with Lit
 *   inside, for `<script type="module">` on any page.
 */
export default defineConfig(({ mode }) => {
  const bundle = mode === 'bundle';
  return {
    plugins: [minifyTemplateCss()],
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
