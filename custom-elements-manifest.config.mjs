/** Generates custom-elements.json from the elements' JSDoc (docs, Storybook tables, editor autocompletion). */
export default {
  globs: ['src/elements/**/*.component.ts', 'src/elements/shared/gym-element.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      // Lit's `state: true` (internal reactive state) implies `attribute: false`; the analyzer reads it as an attribute.
      name: 'lit-internal-state',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isClassDeclaration(node)) return;
        const properties = node.members.find((member) => ts.isPropertyDeclaration(member) && member.name.getText() === 'properties')?.initializer;
        if (!properties || !ts.isObjectLiteralExpression(properties)) return;
        const isState = (option) => ts.isPropertyAssignment(option) && option.name.getText() === 'state' && option.initializer.kind === ts.SyntaxKind.TrueKeyword;
        const internal = properties.properties
          .filter((entry) => ts.isPropertyAssignment(entry) && ts.isObjectLiteralExpression(entry.initializer) && entry.initializer.properties.some(isState))
          .map((entry) => entry.name.getText());
        const declaration = moduleDoc.declarations?.find((candidate) => candidate.name === node.name?.getText());
        if (!declaration || internal.length === 0) return;
        declaration.attributes = declaration.attributes?.filter((attribute) => !internal.includes(attribute.fieldName));
        for (const member of declaration.members ?? []) {
          if (!internal.includes(member.name)) continue;
          delete member.attribute;
          member.privacy = 'private';
        }
      },
    },
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
