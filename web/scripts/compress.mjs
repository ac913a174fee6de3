// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside
// every compressible file of dist/, once, at build time. The server sends
// them as they are to browsers that accept them (ServeDir precompressed),
// instead of compressing on the fly at a fast, weaker level: for the WASM
// client that is ~430 KB of brotli instead of ~530 KB.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const compressible = new Set(['.html', '.js', '.css', '.wasm', '.svg', '.json', '.txt', '.map']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (compressible.has(extname(name))) yield path;
  }
}

let report = [];
for (const path of files(dist)) {
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gz);
  if (extname(path) === '.wasm') report.push(`${path.slice(dist.length + 1)}: ${raw.length} B, brotli ${br.length} B, gzip ${gz.length} B`);
}
for (const line of report) console.log(`precompressed ${line}`);
