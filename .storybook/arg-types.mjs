// The docs tables of an element, from custom-elements.json. Storybook's own reading of the manifest
// keys every row by its bare name (so the form's `action` part hides its `action` attribute), drops
// the default slot (named ""), and has no place for custom states or methods; this one keeps each
// kind apart and shows all of them. The manifest stays the one source: nothing is written twice.

/** A control for a value a story can set: text, number, boolean, or a select of a literal union. */
function controlFor(/** @type {string | undefined} */ type) {
  const kinds = (type ?? '').split('|').map((kind) => kind.trim()).filter((kind) => kind !== 'undefined');
  if (kinds.length === 1 && ['string', 'number', 'boolean'].includes(kinds[0] ?? '')) {
    const name = /** @type {'string' | 'number' | 'boolean'} */ (kinds[0]);
    return { type: { name }, control: { type: name === 'string' ? 'text' : name } };
  }
  if (kinds.length > 0 && kinds.every((kind) => /^'[^']*'$/.test(kind))) {
    const options = kinds.map((kind) => kind.slice(1, -1));
    return { type: { name: 'enum', value: options }, control: { type: 'select' }, options };
  }
  return { type: { name: 'other', value: type ?? '' }, control: false };
}

/** `send(type: string, payload?: unknown): boolean` */
const signature = (/** @type {any} */ method) =>
  `${method.static ? 'static ' : ''}${method.name}(${(method.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type?.text ?? 'unknown'}`).join(', ')}): ${method.return?.type?.text ?? 'void'}`;

/**
 * Storybook arg types for `tagName`: attributes (keyed by name, so story args of the same name get
 * their docs and control), `text-*` attributes, properties without an attribute, methods, events,
 * slots, custom states, parts and custom properties, each in its own table section.
 * @param {any} manifest custom-elements.json
 * @param {string} tagName
 * @returns {Record<string, any>}
 */
export function argTypesFor(manifest, tagName) {
  const element = manifest.modules.flatMap((/** @type {any} */ module) => module.declarations ?? []).find((/** @type {any} */ d) => d.tagName === tagName);
  if (!element) return {};
  /** @type {Record<string, any>} */
  const argTypes = {};
  /** @param {string} key @param {string} category @param {any} item @param {string | undefined} summary @param {object} [extra] */
  const row = (key, category, item, summary, extra = { type: { name: 'other', value: summary ?? '' }, control: false }) => {
    argTypes[key] = {
      name: item.name,
      description: item.description ?? '',
      ...extra,
      table: { category, type: { summary }, defaultValue: item.default === undefined ? undefined : { summary: item.default } },
    };
  };
  const members = /** @type {any[]} */ (element.members ?? []).filter((member) => (member.privacy ?? 'public') === 'public');
  const withAttribute = new Set((element.attributes ?? []).map((/** @type {any} */ attribute) => attribute.fieldName).filter(Boolean));

  for (const attribute of element.attributes ?? []) {
    const text = attribute.name.startsWith('text-');
    const property = attribute.fieldName && attribute.fieldName !== attribute.name ? ` Property: \`${attribute.fieldName}\`.` : '';
    const item = { ...attribute, description: `${attribute.description ?? ''}${property}` };
    row(text ? `text:${attribute.name}` : attribute.name, text ? 'text attributes' : 'attributes', item, attribute.type?.text, controlFor(attribute.type?.text));
  }
  for (const field of members.filter((member) => member.kind === 'field' && !member.static && !withAttribute.has(member.name))) {
    row(`property:${field.name}`, field.readonly ? 'properties (read-only)' : 'properties', field, field.type?.text);
  }
  for (const method of members.filter((member) => member.kind === 'method')) row(`method:${method.name}`, 'methods', method, signature(method));
  for (const event of element.events ?? []) {
    // As Storybook does: an `on…` arg that logs the event in the Actions panel, out of the table.
    const handler = `on${event.name.replace(/(^|-)(\w)/g, (/** @type {string} */ _, /** @type {string} */ __, /** @type {string} */ c) => c.toUpperCase())}`;
    argTypes[handler] = { name: handler, action: event.name, table: { disable: true } };
    row(`event:${event.name}`, 'events', event, event.type?.text);
  }
  for (const slot of element.slots ?? []) row(`slot:${slot.name}`, 'slots', { ...slot, name: slot.name || '(default)' }, slot.name ? `slot="${slot.name}"` : 'no slot attribute');
  for (const state of element.cssStates ?? []) row(`state:${state.name}`, 'css states', state, `:state(${state.name})`);
  for (const part of element.cssParts ?? []) row(`part:${part.name}`, 'css shadow parts', part, `::part(${part.name})`);
  for (const property of element.cssProperties ?? []) row(`css:${property.name}`, 'css custom properties', property, undefined);
  return argTypes;
}
