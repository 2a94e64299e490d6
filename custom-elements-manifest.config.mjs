/** Generates custom-elements.json from the elements' JSDoc (docs, Storybook tables, editor autocompletion). */
export default {
  globs: ['src/elements/**/*.component.ts', 'src/elements/shared/gym-element.ts'],
  outdir: '.',
  litelement: true,
};
