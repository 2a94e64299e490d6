/** Generates custom-elements.json from the elements' JSDoc (docs, Storybook tables, editor autocompletion). */
export default {
  globs: ['src/elements/**/*.component.ts', 'src/elements/shared/gym-element.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      // The base class's `emit(name, …)` reads to the analyzer as an event called "name"; the real events are the `@fires` tags.
      name: 'drop-generic-emit',
      packageLinkPhase({ customElementsManifest }) {
        for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name !== 'name');
        }
      },
    },
  ],
};
