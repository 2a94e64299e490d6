import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The globs, and so the analyzer's file names, are relative to the project root, where this file is. */
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * String-literal unions (`type Action = 'check_in' | 'check_out'`) that `file` can name, written out,
 * by name: its own aliases and those it imports or re-exports from relative modules.
 * @param {typeof import('typescript')} ts
 * @param {string} file
 * @returns {Map<string, string>}
 */
function literalUnions(ts, file, cache = new Map()) {
  if (cache.has(file)) return cache.get(file);
  /** @type {Map<string, string>} */
  const unions = new Map();
  cache.set(file, unions);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const from = (specifier) => literalUnions(ts, resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), cache);
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement) && ts.isUnionTypeNode(statement.type) && statement.type.types.every(ts.isLiteralTypeNode)) {
      unions.set(statement.name.text, statement.type.getText(source));
    }
    const clause = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : ts.isExportDeclaration(statement) ? statement.exportClause : undefined;
    const specifier = statement.moduleSpecifier;
    if (!clause || !specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.') || !('elements' in clause)) continue;
    for (const element of clause.elements) {
      const union = from(specifier.text).get((element.propertyName ?? element.name).text);
      if (union) unions.set(element.name.text, union);
    }
  }
  return unions;
}

/** `text` with each name of a literal union replaced by its members (`ConnectionState | 'invalid'` → `'idle' | … | 'invalid'`). */
const writeOut = (/** @type {string} */ text, /** @type {Map<string, string>} */ unions) => text.replace(/'[^']*'|[A-Za-z_$][\w$]*/g, (token) => unions.get(token) ?? token);

/** `live` → `text-live`, `checkedIn` → `text-checked-in`: the attribute GymElement reads a string from. */
const textAttribute = (/** @type {string} */ key) => `text-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

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
      // `text-*` attributes are read at render time, one per default string: list them, with the default text.
      name: 'text-attributes',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isClassDeclaration(node)) return;
        const strings = node.members.find((member) => ts.isPropertyDeclaration(member) && member.name.getText() === 'defaultStrings')?.initializer;
        const declaration = moduleDoc.declarations?.find((candidate) => candidate.name === node.name?.getText());
        if (!declaration || !strings || !ts.isObjectLiteralExpression(strings)) return;
        for (const entry of strings.properties) {
          if (!ts.isPropertyAssignment(entry) || !ts.isStringLiteralLike(entry.initializer)) continue;
          const key = entry.name.getText();
          const text = entry.initializer.text;
          const placeholders = [...text.matchAll(/\{\w+\}/g)].map(([placeholder]) => `\`${placeholder}\``);
          (declaration.attributes ??= []).push({
            name: textAttribute(key),
            description: `Replaces the text "${text}" (\`strings.${key}\`)${placeholders.length ? `; ${placeholders.join(', ')} is filled in` : ''}.`,
            type: { text: 'string' },
            default: JSON.stringify(text),
          });
        }
      },
    },
    {
      // Editors and Storybook can only offer the values of a union they can see: write aliases out.
      name: 'written-out-unions',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isClassDeclaration(node)) return;
        const declaration = moduleDoc.declarations?.find((candidate) => candidate.name === node.name?.getText());
        if (!declaration) return;
        const unions = literalUnions(ts, resolve(root, node.getSourceFile().fileName));
        const typed = [...(declaration.attributes ?? []), ...(declaration.members ?? []), ...(declaration.members ?? []).flatMap((member) => [...(member.parameters ?? []), member.return ?? {}])];
        for (const item of typed) if (item.type?.text) item.type.text = writeOut(item.type.text, unions);
      },
    },
    {
      // The public API only: private members (`#toast`, internal state) are not for pages to set or call.
      // Events are those documented with `@fires`; what the analyzer infers from dispatch calls is not one
      // (the base class's `emit(name, …)`, `@lit/context` requests).
      name: 'public-api',
      packageLinkPhase({ customElementsManifest }) {
        for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
          if (declaration.members) declaration.members = declaration.members.filter((member) => member.privacy !== 'private' && !member.name.startsWith('#'));
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.description);
        }
      },
    },
  ],
};
