// Browser tests of the built-in designs, in Debian's Chromium driven by playwright-core.
//
// Builds a site with tandem into a temporary folder, serves it on 127.0.0.1 under the path of
// its base_url, and checks every page of every edition at 320, 375 and 1280 px wide:
//   - zero axe-core violations (WCAG 2.0, 2.1, 2.2 A and AA, and best practice);
//   - the first Tab reaches the skip link, which shows a visible focus style and leads to main;
//   - no sideways scrolling;
//   - nothing is fetched from another site, every request succeeds, nothing is logged as an
//     error (Content-Security-Policy violations included);
//   - every internal link, anchor and asset resolves;
//   - where the theme has the read-aloud button, it speaks the page's text (speech stubbed);
//   - glossary words open their explanation with the keyboard and close with Escape;
// and once per site: every page is valid HTML (the Nu HTML Checker, vnu-jar), reduced motion
// turns smooth scrolling off, the print stylesheet hides the navigation, each print page holds
// every section in order with unique ids and working in-page links, pages and glossary words
// work without JavaScript, and pages work opened from disk. Screenshots of every page at 375 and 1280 px go to a folder.
//
// Usage: node run.mjs --tandem BIN --site DIR [--screenshots DIR] [--keep]
// (--keep leaves the built site in its temporary folder; TANDEM_TIMING=1 prints each page's time.)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WIDTHS = [320, 375, 1280];
const SCREENSHOT_WIDTHS = new Set([375, 1280]);
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const WORKERS = 2;
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function parseArgs(argv) {
  const args = { keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep') args.keep = true;
    else if (a.startsWith('--')) args[a.slice(2)] = argv[++i];
  }
  if (!args.tandem || !args.site) {
    console.error('usage: node run.mjs --tandem BIN --site DIR [--screenshots DIR] [--keep]');
    process.exit(2);
  }
  return args;
}

function requireModule(name) {
  const dir = path.join(HERE, 'node_modules', name);
  if (!existsSync(dir)) {
    console.error(`${name} is not installed: run 'make test-deps' (npm ci --prefix tests/browser)`);
    process.exit(1);
  }
  return dir;
}

// Every check appends here; the run fails if any check failed.
const results = { passed: 0, failed: [] };
function check(ok, what) {
  if (ok) results.passed += 1;
  else results.failed.push(what);
  return ok;
}

function listHtml(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listHtml(full, base));
    else if (entry.name.endsWith('.html')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

function buildSite(tandem, site, out) {
  const run = spawnSync(tandem, ['build', '--site', site, '--out', out], { encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(`tandem build failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    return false;
  }
  process.stdout.write(run.stdout);
  return true;
}

function sitePrefix(site) {
  const config = JSON.parse(readFileSync(path.join(site, 'content', 'site.json'), 'utf8'));
  let prefix = '/';
  if (config.base_url) prefix = new URL(config.base_url).pathname;
  if (!prefix.endsWith('/')) prefix += '/';
  return { prefix, config };
}

// The Nu HTML Checker over every page. Errors fail; warnings are shown. vnu reads the files
// from disk, where a Content-Security-Policy's 'self' cannot match anything (a file: address has
// no origin), so that one message is left out; Chromium checks the policy on the served site.
function validateHtml(publicDir, files) {
  const jar = path.join(requireModule('vnu-jar'), 'build', 'dist', 'vnu.jar');
  return new Promise((resolve) => {
    const child = spawn('java', ['-jar', jar, '--format', 'json', '--stdout',
      '--filterpattern', '.*violates Content Security Policy.*', ...files.map((f) => path.join(publicDir, f))]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (err) => {
      check(false, `vnu: could not run java (${err.message}); install default-jre-headless`);
      resolve();
    });
    child.on('close', () => {
      let messages;
      try {
        messages = JSON.parse(stdout).messages;
      } catch {
        check(false, `vnu: unreadable output: ${stdout.slice(0, 500)}${stderr.slice(0, 500)}`);
        resolve();
        return;
      }
      const where = (m) => `${m.url ? path.relative(publicDir, fileURLToPath(m.url)) : '?'}:${m.lastLine ?? ''}`;
      const errors = messages.filter((m) => m.type !== 'info');
      const warnings = messages.filter((m) => m.type === 'info' && m.subType === 'warning');
      for (const m of errors) check(false, `vnu: ${where(m)}: ${m.type}: ${m.message}`);
      if (errors.length === 0) check(true, 'vnu');
      const seen = new Set();
      for (const m of warnings) {
        if (seen.has(m.message)) continue;
        seen.add(m.message);
        console.log(`vnu warning (not a failure), e.g. ${where(m)}: ${m.message}`);
      }
      console.log(`vnu: ${files.length} pages checked, ${errors.length} errors, ${warnings.length} warnings`);
      resolve();
    });
  });
}

// A stand-in for speech synthesis that records what it is asked to say. Utterances end only when
// the test calls __speech.advance(), so the test can see the button while it is reading.
function speechStub() {
  const state = { spoken: [], cancelled: 0, current: null, queue: [] };
  function fire(u, name) {
    const handler = u['on' + name];
    if (typeof handler === 'function') handler.call(u, new Event(name));
    u.dispatchEvent(new Event(name));
  }
  function startNext() {
    if (state.current || state.queue.length === 0) return;
    state.current = state.queue.shift();
    fire(state.current, 'start');
  }
  class Utterance extends EventTarget {
    constructor(text) {
      super();
      this.text = text;
      this.lang = '';
      this.onstart = this.onend = this.onerror = null;
    }
  }
  const synth = {
    get speaking() { return state.current !== null; },
    get pending() { return state.queue.length > 0; },
    paused: false,
    speak(u) { state.spoken.push(u.text); state.queue.push(u); setTimeout(startNext, 0); },
    cancel() { state.cancelled += 1; state.queue = []; state.current = null; },
    pause() {}, resume() {}, getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  };
  state.advance = () => {
    const u = state.current;
    state.current = null;
    if (u) fire(u, 'end');
    startNext();
    return u !== null;
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
  window.__speech = state;
}

// Internal links and assets seen on the pages, checked once at the end.
const links = new Map(); // url without fragment -> Set of pages linking to it
const anchors = new Map(); // url#fragment -> Set of pages

async function collectLinks(page, pageUrl, origin) {
  const refs = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], link[href], script[src], img[src], source[src], use[href], iframe[src]')) {
      const attr = el.hasAttribute('src') ? 'src' : 'href';
      out.push({ tag: el.tagName.toLowerCase(), rel: el.getAttribute('rel') || '', url: el[attr].baseVal ?? el[attr] });
    }
    return out;
  });
  for (const ref of refs) {
    const url = new URL(ref.url, pageUrl);
    if (url.protocol === 'mailto:' || url.protocol === 'tel:') continue;
    if (url.origin !== origin) {
      check(ref.tag === 'a', `${pageUrl}: <${ref.tag}> loads ${url.href} from another site`);
      continue;
    }
    const bare = url.origin + url.pathname + url.search;
    if (!links.has(bare)) links.set(bare, new Set());
    links.get(bare).add(pageUrl);
    if (url.hash && url.hash !== '#') {
      const key = bare + url.hash;
      if (!anchors.has(key)) anchors.set(key, new Set());
      anchors.get(key).add(pageUrl);
    }
  }
}

async function checkLinks(server) {
  const idsOf = new Map();
  for (const [url, from] of links) {
    const res = await fetch(url, { redirect: 'follow' });
    const body = await res.text();
    check(res.status === 200, `link to ${url} (from ${[...from][0]}) answers ${res.status}`);
    if (res.status === 200 && (res.headers.get('content-type') || '').startsWith('text/html')) {
      idsOf.set(url, new Set([...body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
    }
  }
  for (const [key, from] of anchors) {
    const hash = key.indexOf('#');
    const url = key.slice(0, hash);
    const id = decodeURIComponent(key.slice(hash + 1));
    const ids = idsOf.get(url);
    check(ids && ids.has(id), `link to ${key} (from ${[...from][0]}): no element with id "${id}"`);
  }
  console.log(`links: ${links.size} addresses and ${anchors.size} anchors checked; ${server.requests.size} paths served`);
}

// The first Tab must reach the skip link, show a clear focus style, and Enter must go to main.
async function checkSkipLink(page, where) {
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const focused = getComputedStyle(el);
    const seen = {
      outline: focused.outlineStyle !== 'none' && parseFloat(focused.outlineWidth) >= 2,
      shadow: focused.boxShadow !== 'none',
      background: focused.backgroundColor,
    };
    const href = el.getAttribute('href');
    el.blur();
    const plain = getComputedStyle(el).backgroundColor;
    el.focus();
    return {
      href, text: el.textContent.trim(), x: r.left, y: r.top, w: r.width, h: r.height,
      indicator: seen.outline || seen.shadow || seen.background !== plain,
      // Big enough to read, on screen, and not covered or clipped away: what is drawn at its
      // centre is the link itself.
      inView: r.width >= 20 && r.height >= 10 && r.top >= 0 && r.left >= 0 && r.right <= innerWidth + 0.5 &&
        el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)),
    };
  });
  if (!check(focus && focus.href === '#main', `${where}: the first Tab does not reach the skip link (got ${JSON.stringify(focus)})`)) return;
  check(focus.inView, `${where}: the focused skip link is not visible on screen (${JSON.stringify(focus)})`);
  check(focus.indicator, `${where}: the focused skip link shows no focus indicator`);
  await page.keyboard.press('Enter');
  const landed = await page.evaluate(() => {
    const main = document.getElementById('main');
    return { hash: location.hash, main: !!main, top: main ? main.getBoundingClientRect().top : null };
  });
  check(landed.hash === '#main' && landed.main && landed.top < page.viewportSize().height,
    `${where}: Enter on the skip link does not go to the main content (${JSON.stringify(landed)})`);
  await page.evaluate(() => {
    document.activeElement && document.activeElement.blur();
    history.replaceState(null, '', location.pathname);
    window.scrollTo(0, 0);
  });
}

async function checkAxe(page, axeSource, where) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, AXE_TAGS);
  check(violations.length === 0, `${where}: ${violations.length} axe violations`);
  for (const v of violations) results.failed.push(`  axe ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`);
}

async function checkNoSidewaysScroll(page, where) {
  const m = await page.evaluate(() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.right > doc.clientWidth + 1 && getComputedStyle(el).position !== 'fixed' &&
        !el.closest('.tandem-skip-link, [popover]');
    }).slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}`);
    return { scroll: doc.scrollWidth, client: doc.clientWidth, wide };
  });
  check(m.scroll <= m.client, `${where}: scrolls sideways (${m.scroll} px of content in ${m.client} px; too wide: ${m.wide.join(', ')})`);
}

async function checkReadAloud(page, where) {
  const button = page.locator('.tandem-read-aloud__button');
  if (!check(await button.count() === 1, `${where}: no read-aloud button`)) return;
  const expected = await page.evaluate(() => ({
    title: document.querySelector('main h1').textContent.trim(),
    first: (document.querySelector('.tandem-content p') || { innerText: '' }).innerText.replace(/\s+/g, ' ').trim(),
  }));
  check(/read/i.test(await button.innerText()), `${where}: the read-aloud button does not say what it does`);
  await button.click();
  await page.waitForFunction(() => window.__speech.current !== null, null, { timeout: 3000 });
  check(/stop/i.test(await button.innerText()), `${where}: while reading, the button does not offer to stop`);
  // Let it read to the end.
  for (let i = 0; i < 500 && await page.evaluate(() => window.__speech.advance()); i++) {
    await page.waitForTimeout(0);
  }
  const spoken = (await page.evaluate(() => window.__speech.spoken)).join(' ');
  check(spoken.startsWith(expected.title), `${where}: reading does not start with the page title "${expected.title}" (got "${spoken.slice(0, 80)}")`);
  check(!expected.first || spoken.includes(expected.first.slice(0, 60)), `${where}: the first paragraph is not read ("${expected.first.slice(0, 60)}")`);
  check(!/Skip to main content|All sections|Previous|On this page/.test(spoken), `${where}: navigation is read aloud: "${spoken.slice(0, 200)}"`);
  check(/read/i.test(await button.innerText()), `${where}: after reading, the button does not go back to "Read this page aloud"`);
  // Start again and stop half-way.
  await button.click();
  await page.waitForFunction(() => window.__speech.current !== null, null, { timeout: 3000 });
  const cancelledBefore = await page.evaluate(() => window.__speech.cancelled);
  await button.click();
  check(await page.evaluate((n) => window.__speech.cancelled > n, cancelledBefore), `${where}: "Stop reading" does not stop the speech`);
  check(/read/i.test(await button.innerText()), `${where}: after stopping, the button does not go back to "Read this page aloud"`);
}

async function checkTerms(page, where, axeSource) {
  const term = page.locator('.tandem-term__button').first();
  if (await term.count() === 0) return false;
  await term.focus();
  await page.keyboard.press('Enter');
  const popover = page.locator('.tandem-term__popover:popover-open');
  check(await popover.count() === 1, `${where}: Enter on a glossary word does not open its explanation`);
  if (await popover.count() === 1) {
    const text = await popover.innerText();
    check(text.length > 20, `${where}: the glossary explanation is empty`);
    const box = await popover.boundingBox();
    const vp = page.viewportSize();
    check(box && box.x >= 0 && box.x + box.width <= vp.width + 0.5 && box.y >= 0 && box.y + box.height <= vp.height + 0.5,
      `${where}: the glossary explanation is not fully on screen (${JSON.stringify(box)})`);
    check(await page.evaluate(() => document.activeElement.closest('.tandem-term-wrap') !== null ||
      document.activeElement.matches('.tandem-term__button')), `${where}: focus left the glossary word`);
    await checkAxe(page, axeSource, `${where} (glossary explanation open)`);
    await page.keyboard.press('Escape');
    check(await popover.count() === 0, `${where}: Escape does not close the glossary explanation`);
  }
  return true;
}

async function visit(page, target, width, ctx) {
  const where = `${target.rel} @${width}px`;
  const t0 = Date.now();
  const errors = [];
  const onConsole = (msg) => { if (msg.type() === 'error') errors.push(msg.text()); };
  const onPageError = (err) => errors.push(String(err));
  // Chromium fetches the favicon by itself, outside the page's load, and now and then aborts that
  // fetch (net::ERR_ABORTED, seen once in a whole run; the same test passed when run again).
  // That is not a fault of the site: the icon's <link> is still fetched and must answer 200
  // (collectLinks, then checkLinks), and onResponse reports any 404. Any other failed request
  // is still an error.
  const onRequestFailed = (req) => {
    const reason = req.failure()?.errorText;
    if (reason === 'net::ERR_ABORTED' && /\/favicon\.[a-z]+$/.test(new URL(req.url()).pathname)) return;
    errors.push(`request failed: ${req.url()} (${reason})`);
  };
  const onResponse = (res) => { if (res.status() >= 400) errors.push(`${res.status()} for ${res.url()}`); };
  const onRequest = (req) => {
    const u = new URL(req.url());
    if (u.protocol !== 'data:' && u.origin !== ctx.server.origin) errors.push(`request to another site: ${req.url()}`);
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('requestfailed', onRequestFailed);
  page.on('response', onResponse);
  page.on('request', onRequest);
  try {
    await page.setViewportSize({ width, height: 800 });
    const res = await page.goto(target.url, { waitUntil: 'load' });
    check(res && res.status() === 200, `${where}: answered ${res && res.status()}`);
    await checkSkipLink(page, where);
    await checkNoSidewaysScroll(page, where);
    if (ctx.screenshots && SCREENSHOT_WIDTHS.has(width)) {
      const name = target.rel.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '--') || 'index';
      await page.screenshot({ path: path.join(ctx.screenshots, `${name}--${width}.png`), fullPage: true });
    }
    await checkAxe(page, ctx.axeSource, where);
    if (width === WIDTHS[0]) await collectLinks(page, target.url, ctx.server.origin);
    if (width === 375) {
      const hasReadAloud = await page.locator('script[src$="read-aloud.js"]').count() > 0;
      if (hasReadAloud) {
        ctx.readAloudPages += 1;
        await checkReadAloud(page, where);
      }
      if (await checkTerms(page, where, ctx.axeSource)) ctx.termPages += 1;
    }
  } catch (err) {
    check(false, `${where}: ${err.message.split('\n')[0]}`);
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('requestfailed', onRequestFailed);
    page.off('response', onResponse);
    page.off('request', onRequest);
  }
  check(errors.length === 0, `${where}: ${errors.join('; ')}`);
  if (process.env.TANDEM_TIMING) console.log(`${where}: ${Date.now() - t0} ms`);
}

// A print page (the whole strategy on one page): every page of its edition is a section, in the
// order of the navigation, under its own title; no id twice; every link inside the page leads to
// an id that exists; in print, no navigation and each section after the first on a new page.
async function checkPrintPage(page, target) {
  const where = `print page ${target.rel}`;
  await page.goto(target.url);
  const found = await page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    const idSet = new Set(ids);
    return {
      titles: [...document.querySelectorAll('.tandem-print__section > h2')].map((h) => h.textContent.trim()),
      contents: [...document.querySelectorAll('.tandem-print__contents a')].map((a) => a.textContent.trim()),
      nav: [...document.querySelectorAll('.tandem-nav a')].map((a) => a.href),
      duplicates: ids.filter((id, i) => ids.indexOf(id) !== i),
      broken: [...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href'))
        .filter((h) => h.length > 1 && !idSet.has(decodeURIComponent(h.slice(1)))),
      headingsUnderSections: [...document.querySelectorAll('.tandem-print__section .tandem-content h1, .tandem-print__section .tandem-content h2')].length,
    };
  });
  // The title of every page of the edition, in the order of its navigation.
  const expected = [];
  for (const url of found.nav) {
    const html = await (await fetch(url)).text();
    const h1 = html.match(/<h1 class="tandem-title">([\s\S]*?)<\/h1>/);
    expected.push(h1 ? h1[1].replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#39;/g, "'").trim() : `(no h1 in ${url})`);
  }
  check(expected.length > 0 && JSON.stringify(found.titles) === JSON.stringify(expected),
    `${where}: the sections are not every page in order:\n    got      ${JSON.stringify(found.titles)}\n    expected ${JSON.stringify(expected)}`);
  check(JSON.stringify(found.contents) === JSON.stringify(found.titles), `${where}: the contents list does not match the sections`);
  check(found.duplicates.length === 0, `${where}: ids used twice: ${found.duplicates.slice(0, 5).join(', ')}`);
  check(found.broken.length === 0, `${where}: links to ids that do not exist: ${found.broken.slice(0, 5).join(', ')}`);
  check(found.headingsUnderSections === 0, `${where}: a section's content has an h1 or h2 (its headings should be one level down)`);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    nav: [...document.querySelectorAll('.tandem-nav, .tandem-skip-link, .tandem-editions, .tandem-footer__print')]
      .filter((el) => getComputedStyle(el).display !== 'none').length,
    breaks: [...document.querySelectorAll('.tandem-print__section')].map((el) => getComputedStyle(el).breakBefore),
  }));
  await page.emulateMedia({ media: 'screen' });
  check(printed.nav === 0, `${where}: navigation is printed`);
  check(printed.breaks.slice(1).every((b) => b === 'page'), `${where}: sections do not start on a new page in print (${printed.breaks.join(', ')})`);
}

// Glossary words work without JavaScript: they are popovers, which the browser opens itself.
async function checkTermsWithoutScript(browser, ctx, targets) {
  const withTerms = targets.find((t) => readFileSync(path.join(ctx.publicDir, t.rel), 'utf8').includes('tandem-term__button'));
  if (!withTerms) return;
  const where = `no JavaScript (${withTerms.rel})`;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(withTerms.url);
  const term = page.locator('main .tandem-term__button').first();
  const word = (await term.innerText()).trim();
  await term.focus();
  await page.keyboard.press('Enter');
  const open = page.locator('.tandem-term__popover:popover-open');
  check(await open.count() === 1, `${where}: Enter on "${word}" does not open its explanation`);
  if (await open.count() === 1) {
    check((await open.locator('.tandem-term__word').innerText()).trim() === word, `${where}: the explanation is not of "${word}"`);
    await page.keyboard.press('Escape');
    check(await open.count() === 0, `${where}: Escape does not close the explanation`);
    check(await page.evaluate(() => document.activeElement && document.activeElement.matches('.tandem-term__button')),
      `${where}: after Escape, focus does not go back to the word`);
    await term.click();
    await page.locator('.tandem-term__popover:popover-open .tandem-term__close').click();
    check(await open.count() === 0, `${where}: Close does not close the explanation`);
  }
  await context.close();
}

// Checks that are about the site as a whole rather than one page.
async function siteChecks(browser, ctx, targets) {
  const home = targets.find((t) => t.rel === 'index.html');
  const brightPage = targets.find((t) => t.theme === 'bright' && t.rel !== 'index.html') ||
    targets.find((t) => t.theme === 'bright');

  // Reduced motion: no smooth scrolling; otherwise smooth.
  for (const motion of ['reduce', 'no-preference']) {
    const context = await browser.newContext({ reducedMotion: motion });
    const page = await context.newPage();
    await page.goto(home.url);
    const behaviour = await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior);
    check(motion === 'reduce' ? behaviour === 'auto' : behaviour === 'smooth',
      `reduced motion (${motion}): scroll-behavior is ${behaviour}`);
    await context.close();
  }

  // Print: no navigation, no buttons.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const t of [home, brightPage].filter(Boolean)) {
      await page.goto(t.url);
      await page.emulateMedia({ media: 'print' });
      const shown = await page.evaluate(() => [...document.querySelectorAll(
        '.tandem-skip-link, .tandem-nav, .tandem-header__menu, .tandem-pagination, .tandem-editions, .tandem-toc, .tandem-read-aloud')]
        .filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.className));
      check(shown.length === 0, `print (${t.rel}): still shows ${shown.join(', ')}`);
      await page.emulateMedia({ media: 'screen' });
    }
    await context.close();
  }

  // Without JavaScript: the pages work, glossary words are links to the word list.
  if (brightPage) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(brightPage.url);
    check(await page.locator('.tandem-read-aloud__button').count() === 0, `no JavaScript (${brightPage.rel}): the read-aloud button is shown`);
    check(await page.locator('main h1').isVisible(), `no JavaScript (${brightPage.rel}): the page does not show`);
    await context.close();
  }

  {
    const prints = targets.filter((t) => /(^|\/)print\/index\.html$/.test(t.rel));
    check(prints.length >= 1, 'no print page was built');
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const t of prints) await checkPrintPage(page, t);
    await context.close();
    ctx.printPages = prints.length;
  }

  await checkTermsWithoutScript(browser, ctx, targets);

  // Without speech synthesis: no read-aloud button, no errors.
  if (brightPage) {
    const context = await browser.newContext();
    await context.addInitScript(() => { delete window.speechSynthesis; delete window.SpeechSynthesisUtterance; });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(brightPage.url);
    check(await page.locator('.tandem-read-aloud__button').count() === 0 && errors.length === 0,
      `no speech synthesis (${brightPage.rel}): a button is shown or an error happened (${errors.join('; ')})`);
    await context.close();
  }

  // Opened from disk: the Content-Security-Policy still lets the theme's own files load.
  {
    const context = await browser.newContext();
    await context.addInitScript(speechStub);
    const page = await context.newPage();
    for (const t of [home, brightPage].filter(Boolean)) {
      const errors = [];
      const onConsole = (msg) => { if (msg.type() === 'error') errors.push(msg.text()); };
      page.on('console', onConsole);
      await page.goto(pathToFileURL(path.join(ctx.publicDir, t.rel)).href);
      const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.tandem-header')).backgroundColor);
      check(styled !== 'rgba(0, 0, 0, 0)', `opened from disk (${t.rel}): the stylesheet is not applied`);
      if (t.theme === 'bright') {
        check(await page.locator('.tandem-read-aloud__button').count() === 1, `opened from disk (${t.rel}): the script does not run`);
      }
      check(errors.length === 0, `opened from disk (${t.rel}): ${errors.join('; ')}`);
      page.off('console', onConsole);
    }
    await context.close();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { chromium } = await import(path.join(requireModule('playwright-core'), 'index.mjs'));
  const axeSource = readFileSync(path.join(requireModule('axe-core'), 'axe.min.js'), 'utf8');
  const started = Date.now();

  const site = path.resolve(args.site);
  const work = mkdtempSync(path.join(tmpdir(), 'tandem-browser-'));
  const publicDir = path.join(work, 'public');
  if (!buildSite(path.resolve(args.tandem), site, publicDir)) {
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  }
  const { prefix, config } = sitePrefix(site);
  const files = listHtml(publicDir);
  const themeOf = (rel) => {
    const editions = [...config.editions].sort((a, b) => (b.path || '').length - (a.path || '').length);
    const ed = editions.find((e) => !e.path || rel.startsWith(e.path + '/'));
    return ed ? ed.theme : '';
  };

  let screenshots = null;
  if (args.screenshots) {
    screenshots = path.resolve(args.screenshots);
    rmSync(screenshots, { recursive: true, force: true });
    mkdirSync(screenshots, { recursive: true });
  }

  const server = await serve(publicDir, prefix);
  const targets = files.map((rel) => ({ rel, url: server.base + rel, theme: themeOf(rel) }));
  const validated = validateHtml(publicDir, files);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const ctx = { server, axeSource, screenshots, publicDir, readAloudPages: 0, termPages: 0 };
  try {
    const jobs = [];
    for (const t of targets) for (const w of WIDTHS) jobs.push([t, w]);
    let next = 0;
    const worker = async () => {
      const context = await browser.newContext({ reducedMotion: 'reduce' });
      await context.addInitScript(speechStub);
      const page = await context.newPage();
      while (next < jobs.length) {
        const [t, w] = jobs[next++];
        await visit(page, t, w, ctx);
      }
      await context.close();
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await checkLinks(server);
    await siteChecks(browser, ctx, targets);
    await validated;
  } finally {
    await browser.close();
    await server.close();
  }

  const brightPages = targets.filter((t) => t.theme === 'bright').length;
  check(ctx.readAloudPages === brightPages, `read-aloud: checked on ${ctx.readAloudPages} pages, expected every page of the bright theme (${brightPages})`);
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  else console.log(`site kept in ${publicDir}`);

  console.log(`pages: ${targets.length} x ${WIDTHS.join('/')} px; read-aloud on ${ctx.readAloudPages}, glossary words on ${ctx.termPages}, print pages ${ctx.printPages}`);
  if (screenshots) console.log(`screenshots: ${screenshots}`);
  for (const f of results.failed) console.log(`FAIL ${f}`);
  console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${results.passed} passed, ${results.failed.filter((f) => !f.startsWith('  ')).length} failed`);
  process.exitCode = results.failed.length ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
