// What the README promises its readers, checked against the repository: the
// commands CI runs at the top, a table of contents whose every link lands,
// documents and images that exist, snippets that say what to replace, and
// the CMS and self-hosting facts a WordPress editor relies on.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CDN_FILES } from '../../scripts/cdn-report.mjs';
import { anchors, codeBlocks, links, read, root, section } from './markdown.js';

const readme = read('README.md');
const docs = readdirSync(new URL('docs/', root))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);

describe('README', () => {
  it('opens with the demo and the test command, in its first code block (CI and the hook run them)', () => {
    const first = codeBlocks(readme)[0];
    assert.ok(first, 'no code block');
    const commands = first.code.split('\n').map((line) => line.replace(/#.*/, '').trim());
    assert.deepEqual(commands.filter(Boolean), ['npm install && npm start', 'npm install && npm test']);
    assert.ok(readme.indexOf('npm install && npm start') < 600, 'the commands are not at the very top');
  });

  it('has a table of contents that lists every section', () => {
    const contents = section(readme, 'Contents');
    const listed = links(contents);
    const sections = readme
      .split('\n')
      .filter((line) => /^##\s/.test(line) && line !== '## Contents')
      .map((line) => [...anchors(line)][0]);
    for (const anchor of sections) assert.ok(listed.includes(`#${anchor}`), `the contents do not list #${anchor}`);
  });

  for (const file of ['README.md', ...docs]) {
    it(`${file}: every link to a section or a file lands`, () => {
      const text = read(file);
      const base = new URL(file, root);
      const targets = links(text).filter((target) => !/^[a-z]+:/i.test(target));
      assert.ok(file !== 'README.md' || targets.length > 20, 'README links too little');
      for (const target of targets) {
        const [path, anchor] = target.split('#');
        const url = path ? new URL(path, base) : base;
        assert.ok(existsSync(url), `${file} links to ${target}, which does not exist`);
        if (anchor) {
          assert.ok(url.pathname.endsWith('.md'), `${target}: an anchor in a file that is not Markdown`);
          assert.ok(anchors(readFileSync(url, 'utf8')).has(anchor), `${file} links to ${target}: no such heading`);
        }
      }
    });
  }

  it('moves internals to docs/ and links each document', () => {
    for (const doc of ['docs/client.md', 'docs/architecture.md', 'docs/reliability.md', 'docs/performance.md', 'docs/testing.md']) {
      assert.ok(docs.includes(doc), `${doc} is missing`);
      assert.ok(links(readme).includes(doc), `README does not link ${doc}`);
    }
    // The figures live in docs/ now, not in the README.
    for (const table of ['| client (published defaults) | peak / 100 ms |', '| | minute 1 | minute 15 |', '| what | how it is tested | result |', '| option | default | meaning |']) {
      assert.ok(!readme.includes(table), `README still holds the table ${table}`);
    }
    assert.match(read('docs/performance.md'), /^## Reconnect storm$/m);
    assert.match(read('docs/reliability.md'), /^## Soak: an hour on a wall$/m);
    assert.match(read('docs/architecture.md'), /^## Layout$/m);
    assert.match(read('docs/client.md'), /^## Options and their defaults$/m);
    assert.match(read('docs/testing.md'), /^## The test suites$/m);
  });

  it('shows a screenshot of the demo website: a small PNG in docs/images/', () => {
    const images = links(readme).filter((target) => target.startsWith('docs/images/'));
    assert.ok(images.length >= 1, 'no screenshot');
    for (const image of images) {
      const bytes = readFileSync(new URL(image, root));
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${image} is not a PNG`);
      assert.ok(statSync(new URL(image, root)).size < 250_000, `${image} is larger than 250 kB`);
    }
    assert.match(readme, /!\[[^\]]{20,}\]\(docs\/images\//, 'the screenshot has no description');
  });

  it('says the package is not on npm yet, and how to self-host the files npm run build makes', () => {
    assert.match(readme.slice(0, 2000), /not published to npm yet/i);
    const selfHost = section(readme, 'Self-hosting the script');
    assert.match(selfHost, /npm run build/);
    assert.match(selfHost, /dist\/bundle\//);
    for (const file of [...CDN_FILES, 'integrity.json']) assert.ok(selfHost.includes(`\`${file}\``), `${file} is not named`);
  });

  it('says, in every snippet with a server address, what to replace and who supplies it', () => {
    const snippets = codeBlocks(readme).filter(({ code }) => /gym\.example|widget-token|analytics\//.test(code));
    assert.ok(snippets.length >= 6, `only ${snippets.length} snippets`);
    for (const { code } of snippets) {
      assert.match(code, /REPLACE/, `no REPLACE note in:\n${code}`);
      if (/wss:\/\/gym\.example/.test(code)) assert.match(code, /the gym's IT/, `who supplies the url is not said in:\n${code}`);
      if (/widget-token/.test(code)) assert.match(code, /your site/i, `who supplies the token url is not said in:\n${code}`);
    }
  });

  it('pastes the tags with history-url and theme', () => {
    const html = codeBlocks(section(readme, 'Paste the tags')).find(({ lang }) => lang === 'html');
    assert.ok(html);
    assert.match(html.code, /<gym-realtime-provider[^>]*\shistory-url="[^"]+"/);
    assert.match(html.code, /<gym-realtime-provider[^>]*\stheme="(light|dark|auto)"/);
  });
});

describe('README for CMS editors', () => {
  const cms = section(readme, 'For CMS editors');
  const wordpress = section(readme, 'WordPress');

  it('leads WordPress with the plugin, and pasting by hand with the data-gym-widget blocks, with data-history-url and data-theme', () => {
    assert.match(wordpress, /^#### The WordPress plugin/m);
    assert.match(wordpress, /npm run build:wordpress/);
    const byHand = wordpress.slice(wordpress.indexOf('#### Without the plugin'));
    assert.ok(byHand.length < wordpress.length, 'no "Without the plugin" part');
    const first = codeBlocks(byHand)[0];
    assert.ok(first, 'no snippet');
    assert.equal(first.lang, 'html');
    const provider = /<div data-gym-widget="realtime-provider"[^>]*>/.exec(first.code)?.[0];
    assert.ok(provider, 'the first WordPress snippet is not a data-gym-widget provider block');
    // Without it a pasted feed says "No check-ins yet" until the next event.
    assert.match(provider, /\sdata-history-url="https?:\/\/[^"]+"/);
    assert.match(provider, /\sdata-theme="(light|dark|auto)"/);
    assert.match(provider, /\sdata-url="wss:\/\/[^"]+"/);
    assert.match(provider, /\sdata-token-url="[^"]+"/);
    assert.match(first.code, /data-gym-widget="checkin-feed"/);
    assert.doesNotMatch(first.code, /<gym-|<script/, 'WordPress strips these for Authors');
  });

  it('every data-gym-widget provider in the README carries data-history-url and data-theme', () => {
    const blocks = [...readme.matchAll(/<div data-gym-widget="realtime-provider"[^>]*>/g)].map((match) => match[0]);
    assert.ok(blocks.length >= 1);
    for (const block of blocks) {
      assert.match(block, /\sdata-history-url="/, block);
      assert.match(block, /\sdata-theme="/, block);
    }
  });

  it('states what WordPress does to pasted HTML, and how to load the script', () => {
    assert.match(wordpress, /every `data-\*`\s+attribute[^.]*passes its sanitizer for Authors/i);
    assert.match(wordpress, /strips\s+`<gym-…>` tags and `<script>`/);
    assert.match(wordpress, /\*\*multisite\*\*, even site administrators lack `unfiltered_html`/i);
    assert.match(wordpress, /\*\*Block themes\*\*[^.]*have no\s+`header\.php`/);
    assert.match(wordpress, /Unexpected token 'export'/);
    assert.match(wordpress, /wp_enqueue_script_module/);
    const php = codeBlocks(wordpress).filter(({ lang }) => lang === 'php');
    assert.ok(php.some(({ code }) => /wp_enqueue_script\(\s*'gym-realtime-widgets',[^;]*classic\.js/.test(code)), 'no classic-script plugin');
    const filter = php.find(({ code }) => code.includes("add_filter('script_loader_tag'"));
    assert.ok(filter, 'no script_loader_tag filter');
    assert.match(filter.code, /type="module"/);
    assert.match(filter.code, /wp_enqueue_script\('gym-realtime-widgets', [^;]*gym-realtime-widgets\.js'/);
    assert.ok(cms.indexOf('### WordPress') < cms.indexOf('### Other CMSs'), 'WordPress does not come first');
  });

  it('the demo CMS post is such a paste: a provider block with data-history-url and data-theme', () => {
    const page = read('demo/pages/cms.html');
    const provider = /<div data-gym-widget="realtime-provider"[^>]*>/.exec(page)?.[0];
    assert.ok(provider);
    assert.match(provider, /\sdata-history-url="[^"]+"/);
    assert.match(provider, /\sdata-theme="(light|dark|auto)"/);
  });
});
