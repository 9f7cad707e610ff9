/**
 * A VC-API exchange endpoint on 127.0.0.1 issuing like the Digital Credentials Consortium's
 * coordinator does for the Learner Credential Wallet (test-only): the wallet authenticates
 * with a DID (a Data Integrity VP for the exchange's challenge), the exchange answers with
 * a credential issued to that DID.
 *
 *   node vcapi_exchange.mjs   -> {"base": "http://127.0.0.1:PORT"} on stdout
 *
 * No npm package serves VC-API exchanges offline (the DCC coordinator and Bedrock's
 * vc-delivery are services with their own stores), so the exchange's HTTP steps are written
 * here from the VC-API spec; its cryptography is Digital Bazaar's: the DID-auth VP is
 * verified by verify.mjs (vc.verify, AuthenticationProofPurpose with the challenge and
 * domain) and the credential signed by vc.issue (eddsa-rdfc-2022).
 *
 *   POST /exchanges/ID  {}                        -> {"verifiablePresentationRequest": {query:
 *        [{type: "DIDAuthentication"}], challenge, domain}}
 *   POST /exchanges/ID  {"verifiablePresentation"} -> {"verifiablePresentation": {…, verifiableCredential}}
 * Test controls: GET /make-exchange -> {"exchange": URL, "dccrequest": "dccrequest://request?…"};
 *   GET /log -> {"issued": n, "errors": [...]}
 */
import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import {createServer} from 'node:http';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as credentialsContext from '@digitalbazaar/credentials-context';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const CONTEXTS = new Map(credentialsContext.contexts);
for(const name of ['@digitalbazaar/data-integrity-context', '@digitalbazaar/multikey-context', 'did-context']) {
  for(const [url, doc] of require(name).contexts) {
    CONTEXTS.set(url, doc);
  }
}
const vendored = join(HERE, '..', '..', 'resources', 'contexts');
for(const [url, file] of Object.entries(JSON.parse(readFileSync(join(vendored, 'index.json'), 'utf8')))) {
  if(!CONTEXTS.has(url)) {
    CONTEXTS.set(url, JSON.parse(readFileSync(join(vendored, file), 'utf8')));
  }
}
const documentLoader = async url => {
  if(CONTEXTS.has(url)) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS.get(url))};
  }
  throw new Error(`offline document loader: no local copy of ${url}`);
};

const key = await Ed25519Multikey.generate();
const ISSUER = `did:key:${key.publicKeyMultibase}`;
key.controller = ISSUER;
key.id = `${ISSUER}#${key.publicKeyMultibase}`;

const exchanges = new Map();   // id -> {challenge, done}
const log = {issued: 0, errors: []};
let base;

function verifyDidAuth(vp, challenge, domain) {
  const done = spawnSync('node', [join(HERE, 'verify.mjs')], {cwd: HERE, encoding: 'utf8', timeout: 60_000,
    input: JSON.stringify({kind: 'presentation', document: vp, challenge, domain})});
  try {
    return JSON.parse(done.stdout);
  } catch {
    return {verified: false, errors: [`verify.mjs: ${done.stderr}`]};
  }
}

async function step(id, body) {
  const exchange = exchanges.get(id);
  if(!exchange || exchange.done) {
    return [404, {error: 'unknown or finished exchange'}];
  }
  const domain = new URL(base).host;
  if(!body.verifiablePresentation) {
    return [200, {verifiablePresentationRequest: {query: [{type: 'DIDAuthentication',
      acceptedMethods: [{method: 'key'}, {method: 'jwk'}]}], challenge: exchange.challenge, domain}}];
  }
  const vp = body.verifiablePresentation;
  const verdict = verifyDidAuth(vp, exchange.challenge, domain);
  if(!verdict.verified) {
    log.errors.push('did-auth');
    return [400, {error: 'the DID authentication does not verify', details: verdict.errors}];
  }
  const holder = typeof vp.holder === 'object' ? vp.holder.id : vp.holder;
  const credential = await vc.issue({credential: {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    type: ['VerifiableCredential', 'DiplomaCredential'],
    issuer: {id: ISSUER, name: 'Exchange College'},
    validFrom: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    name: 'Diploma in Loopback Studies',
    credentialSubject: {id: holder, diploma: 'Loopback Studies'}
  }, suite: new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022}), documentLoader});
  exchange.done = true;
  log.issued += 1;
  return [200, {verifiablePresentation: {'@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'], verifiableCredential: [credential]}}];
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, base);
  const send = (status, body) => {
    res.writeHead(status, {'Content-Type': 'application/json'});
    res.end(JSON.stringify(body));
  };
  try {
    if(req.method === 'GET' && url.pathname === '/make-exchange') {
      const id = randomBytes(8).toString('hex');
      const challenge = randomBytes(12).toString('hex');
      exchanges.set(id, {challenge, done: false});
      const exchange = `${base}/exchanges/${id}`;
      const dccrequest = 'dccrequest://request?' + new URLSearchParams({issuer: 'Exchange College',
        auth_type: 'bearer', challenge, vc_request_url: exchange});
      return send(200, {exchange, dccrequest});
    }
    if(req.method === 'GET' && url.pathname === '/log') {
      return send(200, log);
    }
    if(req.method === 'POST' && url.pathname.startsWith('/exchanges/')) {
      const chunks = [];
      for await (const chunk of req) {
        chunks.push(chunk);
      }
      const [status, body] = await step(url.pathname.slice(11), JSON.parse(Buffer.concat(chunks).toString() || '{}'));
      return send(status, body);
    }
    send(404, {error: 'not_found'});
  } catch(e) {
    send(500, {error: String(e?.message || e)});
  }
});

server.listen(0, '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(JSON.stringify({base, issuer: ISSUER}) + '\n');
});
