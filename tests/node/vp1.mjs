#!/usr/bin/env node
/*
 * Learner Credential Wallet "VP1-" QR texts made by the real JavaScript libraries, for
 * the Python tests of vault/qr/cborld (tests/qr/test_qr_vp1.py).
 *
 * stdin:  {"document": <JSON-LD presentation>,
 *          "codes": [{"library": "vpqr" | "lcw", "format": "cbor-ld-1.0" | "legacy-singleton",
 *                     "encoding": "R" | "B"}, ...]}
 * stdout: {"codes": [{"payload": "VP1-…", "version": <QR version>} | {"error": "…"}, ...]}
 *
 * library "vpqr": @digitalbazaar/vpqr 6 (CBOR-LD by @digitalbazaar/cborld 8); "cbor-ld-1.0"
 *   uses registry entry 1 (the default tables), as vpqr's own tests do; "R" is base45, "B"
 *   base32.
 * library "lcw": @digitalcredentials/vpqr 2.2.1 (CBOR-LD by @digitalcredentials/cborld 4),
 *   the library the Learner Credential Wallet uses: legacy tag 0x0501, base32 only.
 *
 * Contexts are served only from the vault's vendored copies (resources/contexts), so the
 * encoder numbers terms over exactly the contexts the Python decoder has; any other URL
 * fails (no network). Exit status 0 when a result was printed, 2 for a bad request.
 */
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vpqr from '@digitalbazaar/vpqr';
import * as lcwVpqr from '@digitalcredentials/vpqr';

const HERE = dirname(fileURLToPath(import.meta.url));
const VENDORED = join(HERE, '..', '..', 'resources', 'contexts');
const INDEX = JSON.parse(readFileSync(join(VENDORED, 'index.json'), 'utf8'));

async function documentLoader(url) {
  const file = INDEX[url];
  if(!file) {
    throw new Error(`no vendored copy of ${url} (the VP1 test serves only resources/contexts)`);
  }
  const document = JSON.parse(readFileSync(join(VENDORED, file), 'utf8'));
  return {contextUrl: null, documentUrl: url, document};
}

async function encode(vp, {library = 'vpqr', format = 'cbor-ld-1.0', encoding = 'R'} = {}) {
  if(library === 'lcw') {
    if(format !== 'legacy-singleton' || encoding !== 'B') {
      throw new Error('the Learner Credential Wallet library writes legacy-singleton base32 only');
    }
    const {payload, version} = await lcwVpqr.toQrCode({vp, documentLoader});
    return {payload, version};
  }
  if(library !== 'vpqr') {
    throw new Error(`unknown library ${library}`);
  }
  const options = {vp, documentLoader, format, qrMultibaseEncoding: encoding};
  if(format !== 'legacy-singleton') {
    options.registryEntryId = 1;
  }
  const {payload, version} = await vpqr.toQrCode(options);
  return {payload, version};
}

async function main() {
  let request;
  try {
    request = JSON.parse(readFileSync(0, 'utf8'));
  } catch(e) {
    process.stderr.write(`bad request: ${e.message}\n`);
    process.exit(2);
  }
  const codes = [];
  for(const code of request.codes || []) {
    try {
      codes.push(await encode(structuredClone(request.document), code));
    } catch(e) {
      codes.push({error: String(e && e.message || e)});
    }
  }
  process.stdout.write(JSON.stringify({codes}) + '\n');
}

main();
