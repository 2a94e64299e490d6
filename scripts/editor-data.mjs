#!/usr/bin/env node
// Part of `npm run build`: editor support generated from custom-elements.json
// (itself generated from the elements' JSDoc), so nothing is written twice:
// - dist/editor/vscode.html-custom-data.json — VS Code HTML autocompletion;
// - dist/editor/web-types.json — JetBrains IDEs (package.json "web-types");
// - dist/types/react-jsx.d.ts — React 19 JSX typings (`gym-realtime-widgets/react-jsx`).
// `--manifest <file> --out <dir>` read and write elsewhere (tests); `--quiet` prints nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url);
const option = (/** @type {string} */ name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const manifestPath = option('--manifest');
const out = option('--out') ? pathToFileURL(`${resolve(/** @type {string} */ (option('--out')))}/`) : new URL('dist/', root);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const manifest = JSON.parse(readFileSync(manifestPath ? resolve(manifestPath) : new URL('custom-elements.json', root), 'utf8'));

/**
 * @typedef {{ name: string, description?: string, type?: { text: string }, fieldName?: string }} Attribute
 * @typedef {{ name: string, kind: string, description?: string, type?: { text: string }, static?: boolean, readonly?: boolean, privacy?: string }} Member
 * @typedef {{ name: string, description?: string, type?: { text: string } }} Event
 * @typedef {{ name: string, tagName: string, description?: string, summary?: string, attributes?: Attribute[], members?: Member[], events?: Event[] }} Element
 */
const elements = /** @type {Element[]} */ (manifest.modules.flatMap((/** @type {any} */ m) => m.declarations ?? []).filter((/** @type {any} */ d) => d.customElement && d.tagName)).sort(
  (/** @type {Element} */ a, /** @type {Element} */ b) => a.tagName.localeCompare(b.tagName),
);
/** The element's events, each with its TypeScript type (`@fires {GymErrorEvent} gym-error`, exported by src/events). */
const events = (/** @type {Element} */ element) =>
  (element.events ?? []).map((event) => {
    if (!event.type?.text) throw new Error(`${element.tagName}: the event ${event.name} has no type: write it as @fires {TheEventType} ${event.name} - …`);
    return { ...event, type: event.type.text };
  });
const eventTypes = [...new Set(elements.flatMap((element) => events(element).map((event) => event.type)))].sort();
/** String-literal unions become value lists: `'light' | 'dark' | undefined` → light, dark. */
const literals = (/** @type {string | undefined} */ type) => [...(type ?? '').matchAll(/'([^']+)'/g)].map((match) => /** @type {string} */ (match[1]));
const docsUrl = (/** @type {string} */ tag) => `https://www.npmjs.com/package/${pkg.name}#${tag}`;

const vscode = {
  $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
  version: 1.1,
  tags: elements.map((element) => ({
    name: element.tagName,
    description: element.description ?? element.summary ?? '',
    attributes: (element.attributes ?? []).map((attribute) => {
      const values = literals(attribute.type?.text);
      return {
        name: attribute.name,
        description: attribute.description ?? '',
        ...(values.length ? { values: values.map((name) => ({ name })) } : {}),
        ...(attribute.type?.text === 'boolean' ? { valueSet: 'v' } : {}),
      };
    }),
    references: [{ name: 'Documentation', url: docsUrl(element.tagName) }],
  })),
};

const webTypes = {
  $schema: 'https://json.schemastore.org/web-types',
  name: pkg.name,
  version: pkg.version,
  'description-markup': 'markdown',
  contributions: {
    html: {
      elements: elements.map((element) => ({
        name: element.tagName,
        description: element.description ?? element.summary ?? '',
        'doc-url': docsUrl(element.tagName),
        attributes: (element.attributes ?? []).map((attribute) => {
          const values = literals(attribute.type?.text);
          return {
            name: attribute.name,
            description: attribute.description ?? '',
            value: attribute.type?.text === 'boolean' ? { type: 'boolean', required: false } : values.length ? { type: values.map((v) => `'${v}'`).join(' | ') } : { type: 'string' },
          };
        }),
        events: events(element).map((event) => ({ name: event.name, description: event.description ?? '' })),
      })),
    },
  },
};

/** Writable instance fields React 19 sets as properties (`limit={10}`, `tokenProvider={fn}`). */
const properties = (/** @type {Element} */ element) =>
  (element.members ?? []).filter((member) => member.kind === 'field' && !member.static && !member.readonly && (member.privacy ?? 'public') === 'public' && member.name !== 'strings').map((member) => member.name);
const className = (/** @type {Element} */ element) => element.name;
/** Every element inherits \`theme\`; its values as the manifest lists them. */
const themeType = elements[0]?.members?.find((member) => member.name === 'theme')?.type?.text ?? 'string';
const jsx = `// Generated by scripts/editor-data.mjs from custom-elements.json. Do not edit.
// React 19 JSX typings: \`import type {} from '${pkg.name}/react-jsx';\` once in a TSX project.
// React 19 sets a prop as a property when the element has one (\`limit={10}\`), otherwise as an
// attribute (\`history-url="…"\`), and \`on<event-name>\` listens to that event (\`ongym-error={…}\`).
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ${[...new Set(elements.map(className))].join(', ')} } from '${pkg.name}';
import type { ${eventTypes.join(', ')} } from '${pkg.name}';

type GymElementProps<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> & {
  /** Overrides visible strings by key. */
  strings?: Record<string, string>;
  theme?: ${themeType};
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${elements
  .map((element) => {
    const props = properties(element).filter((name) => name !== 'theme');
    const attributes = (element.attributes ?? []).filter((attribute) => attribute.name.includes('-')).map((attribute) => `        '${attribute.name}'?: string;`);
    const handlers = events(element).map((event) => `        'on${event.name}'?: (event: ${event.type}) => void;`);
    return `      '${element.tagName}': GymElementProps<${className(element)}> &
        Partial<Pick<${className(element)}, ${props.length ? props.map((name) => `'${name}'`).join(' | ') : 'never'}>> & {
${[...attributes, ...handlers].join('\n') || '        // no kebab-case attributes or events'}
        };`;
  })
  .join('\n')}
    }
  }
}
`;

mkdirSync(new URL('editor/', out), { recursive: true });
mkdirSync(new URL('types/', out), { recursive: true });
writeFileSync(new URL('editor/vscode.html-custom-data.json', out), `${JSON.stringify(vscode, null, 2)}\n`);
writeFileSync(new URL('editor/web-types.json', out), `${JSON.stringify(webTypes, null, 2)}\n`);
writeFileSync(new URL('types/react-jsx.d.ts', out), jsx);
if (!process.argv.includes('--quiet')) console.log(`editor data: ${elements.length} elements → dist/editor/vscode.html-custom-data.json, dist/editor/web-types.json, dist/types/react-jsx.d.ts`);
