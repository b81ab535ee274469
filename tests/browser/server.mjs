// A tiny static web server for the browser tests: serves one folder under a path prefix
// (the path of the site's base_url, such as /corporate-parenting/), on the loopback address only.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
};

function typeOf(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

// The file a request path names inside root, or null when it is outside the prefix or root.
function fileFor(root, prefix, urlPath) {
  if (!urlPath.startsWith(prefix)) return null;
  let rest;
  try {
    rest = decodeURIComponent(urlPath.slice(prefix.length));
  } catch {
    return null;
  }
  const file = path.resolve(root, '.' + path.posix.sep + rest);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

async function existingFile(file) {
  try {
    const s = await stat(file);
    if (s.isFile()) return file;
    if (s.isDirectory()) {
      const index = path.join(file, 'index.html');
      if ((await stat(index)).isFile()) return index;
    }
  } catch {
    // not there
  }
  return null;
}

/**
 * Starts serving `root` at http://127.0.0.1:<port><prefix>. Returns { origin, base, close, requests },
 * where base is origin + prefix and requests counts the requests answered, by path.
 */
export async function serve(root, prefix = '/') {
  const absRoot = path.resolve(root);
  const requests = new Map();
  const server = createServer(async (req, res) => {
    const urlPath = new URL(req.url, 'http://127.0.0.1').pathname;
    requests.set(urlPath, (requests.get(urlPath) || 0) + 1);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const wanted = fileFor(absRoot, prefix, urlPath);
    const found = wanted && (await existingFile(wanted));
    if (found && urlPath.endsWith('/') === false && found.endsWith(path.sep + 'index.html') &&
        !urlPath.endsWith('index.html')) {
      res.writeHead(301, { Location: urlPath + '/' }).end();
      return;
    }
    if (!found) {
      const notFound = await existingFile(path.join(absRoot, '404.html'));
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(notFound && req.method === 'GET' ? await readFile(notFound) : '');
      return;
    }
    const body = await readFile(found);
    res.writeHead(200, { 'Content-Type': typeOf(found), 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    base: origin + prefix,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
