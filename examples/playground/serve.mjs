// `npm run playground [-- --port N]`: builds the playground and serves it on
// 127.0.0.1 (a tiny static server: node:http, files of build/playground only).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT, buildPlayground } from './build.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.mlrn': 'application/octet-stream',
};

/** Serves `dir` on 127.0.0.1:`port` (0: any free port); resolves to { server, url }. */
export function serve(dir, port) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url || '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    const type = TYPES[extname(file)];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!file.startsWith(dir + sep) || !type) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, url: 'http://127.0.0.1:' + a.port + '/' });
    });
  });
}

function portArg(argv) {
  const i = argv.indexOf('--port');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--port='))?.slice(7);
  if (v === undefined) return 8080;
  const p = Number(v);
  if (!(Number.isInteger(p) && p >= 0 && p <= 65535)) throw new Error('--port needs a number 0..65535, got ' + v);
  return p;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = portArg(process.argv.slice(2));
  await buildPlayground();
  try {
    const { url } = await serve(OUT, port);
    console.log('microlearn playground: ' + url + '  (Ctrl+C stops it)');
  } catch (e) {
    if (e.code === 'EADDRINUSE') {
      console.error('port ' + port + ' is in use: try `npm run playground -- --port ' + (port + 1) + '`');
      process.exit(1);
    }
    throw e;
  }
}
