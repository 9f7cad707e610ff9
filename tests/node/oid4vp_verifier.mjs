/**
 * An OpenID4VP 1.0 verifier on 127.0.0.1 for the vault's tests (test-only).
 *
 *   node oid4vp_verifier.mjs
 * prints one line {"base": "http://127.0.0.1:PORT", "did": "did:jwk:…"} and serves until killed.
 *
 * The protocol is the OpenWallet Foundation's oid4vc-ts (@openid4vc/openid4vp): it makes the
 * authorization requests (by value, or signed request objects by reference), decrypts
 * direct_post.jwt answers and checks the response against the request and its DCQL query.
 * The presentations are then verified independently: SD-JWT VC by @sd-jwt/sd-jwt-vc
 * (issuer signature, key binding, nonce, audience), VC-JWT and Data Integrity VPs by
 * verify.mjs (did-jwt-vc, Digital Bazaar vc) for this request's nonce and client_id.
 *
 * Test controls (not part of the protocol):
 *   GET /make-request?query=sd|jwt|ldp&client=redirect_uri|did&mode=direct_post|direct_post.jwt
 *       [&by=reference]  -> {"id": …, "request": "openid4vp://…"}
 *   GET /result/ID -> {"received": bool, "verified": bool, "errors": [...], "presentations": {...}}
 */
import {createHash, createPublicKey, randomBytes, generateKeyPairSync, verify as edVerify} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import {createServer} from 'node:http';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {Openid4vpVerifier} from '@openid4vc/openid4vp';
import {setGlobalConfig} from '@openid4vc/utils';
import * as jose from 'jose';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {digest as sdDigest} from '@sd-jwt/crypto-nodejs';

const HERE = dirname(fileURLToPath(import.meta.url));
setGlobalConfig({allowInsecureUrls: true});   // plain http on 127.0.0.1 only

const b64u = buf => Buffer.from(buf).toString('base64url');
// the verifier's signing key (did:jwk, for signed request objects) and its response
// encryption key (ECDH-ES P-256, for direct_post.jwt)
const {privateKey: signPrivate} = generateKeyPairSync('ed25519');
const signJwk = (({kty, crv, x}) => ({kty, crv, x}))(signPrivate.export({format: 'jwk'}));
const VERIFIER_DID = `did:jwk:${b64u(JSON.stringify(signJwk))}`;
const {privateKey: encPrivate} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
const encJwk = {...(({kty, crv, x, y}) => ({kty, crv, x, y}))(encPrivate.export({format: 'jwk'})),
  use: 'enc', alg: 'ECDH-ES', kid: 'enc-1'};

const jwkOfDid = did => JSON.parse(Buffer.from(did.split('#')[0].slice(8), 'base64url').toString('utf8'));

const callbacks = {
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
  async signJwt(signer, {header, payload}) {
    const jwt = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header).sign(signPrivate);
    return {jwt, signerJwk: signJwk};
  },
  async verifyJwt(signer, {header, compact}) {
    const jwk = signer.method === 'did' ? jwkOfDid(signer.didUrl) : signer.publicJwk;
    try {
      await jose.compactVerify(compact, await jose.importJWK(jwk, header.alg));
      return {verified: true, signerJwk: jwk};
    } catch {
      return {verified: false, signerJwk: jwk};
    }
  },
  async decryptJwe(jwe) {
    try {
      const {plaintext} = await jose.compactDecrypt(jwe, encPrivate);
      return {decrypted: true, decryptionJwk: encJwk, payload: new TextDecoder().decode(plaintext)};
    } catch {
      return {decrypted: false};
    }
  },
  encryptJwe() {
    throw new Error('the test verifier does not encrypt');
  }
};
const verifier = new Openid4vpVerifier({callbacks});

const QUERIES = {
  sd: {credentials: [{id: 'employee', format: 'dc+sd-jwt', meta: {vct_values: ['https://credentials.example/employee']},
    claims: [{path: ['given_name']}, {path: ['employee_id']}]}]},
  jwt: {credentials: [{id: 'degree', format: 'jwt_vc_json',
    meta: {type_values: [['VerifiableCredential', 'UniversityDegreeCredential']]},
    claims: [{path: ['credentialSubject', 'degree', 'name']}]}]},
  ldp: {credentials: [{id: 'degree', format: 'ldp_vc',
    meta: {type_values: [['VerifiableCredential', 'UniversityDegreeCredential']]},
    claims: [{path: ['credentialSubject', 'degree', 'name']}]}]}
};

const sessions = new Map();   // id -> {request payload, jar, result}
let base;

async function makeRequest(url) {
  const id = b64u(randomBytes(8));
  const query = QUERIES[url.searchParams.get('query') || 'sd'];
  const mode = url.searchParams.get('mode') || 'direct_post';
  const client = url.searchParams.get('client') || 'redirect_uri';
  const responseUri = `${base}/response/${id}`;
  const payload = {
    response_type: 'vp_token', response_mode: mode, response_uri: responseUri, nonce: b64u(randomBytes(16)),
    state: b64u(randomBytes(8)), dcql_query: query,
    client_id: client === 'did' ? `decentralized_identifier:${VERIFIER_DID}` : `redirect_uri:${responseUri}`,
    client_metadata: {client_name: 'Loopback Employer',
      vp_formats_supported: {'dc+sd-jwt': {'sd-jwt_alg_values': ['EdDSA'], 'kb-jwt_alg_values': ['EdDSA']},
        jwt_vc_json: {alg_values: ['EdDSA']}, ldp_vc: {proof_type_values: ['DataIntegrityProof']}},
      ...(mode === 'direct_post.jwt' ? {jwks: {keys: [encJwk]}, encrypted_response_enc_values_supported: ['A128GCM']} : {})}
  };
  const byReference = client === 'did' || url.searchParams.get('by') === 'reference';
  const created = await verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: payload,
    ...(byReference ? {jar: {requestUri: `${base}/request/${id}`, expiresInSeconds: 300,
      jwtSigner: client === 'did' ? {method: 'did', didUrl: `${VERIFIER_DID}#0`, alg: 'EdDSA'} :
        {method: 'jwk', publicJwk: signJwk, alg: 'EdDSA'}}} : {})
  });
  sessions.set(id, {payload: created.authorizationRequestPayload, jar: created.jar, result: {received: false}});
  return {id, request: created.authorizationRequest};
}

function nodeVerify(kind, document, nonce, domain) {
  const done = spawnSync('node', [join(HERE, 'verify.mjs')], {cwd: HERE, encoding: 'utf8', timeout: 60_000,
    input: JSON.stringify({kind, document, challenge: nonce, domain})});
  try {
    return JSON.parse(done.stdout);
  } catch {
    return {verified: false, errors: [`verify.mjs: ${done.stderr}`]};
  }
}

async function verifySdJwt(token, nonce, audience) {
  const issuerJwt = jose.decodeProtectedHeader(token.split('~')[0]);
  const issuerKey = createPublicKey({key: jwkOfDid(issuerJwt.kid), format: 'jwk'});
  const sdjwt = new SDJwtVcInstance({
    hasher: sdDigest,
    verifier: (data, sig) => edVerify(null, Buffer.from(data), issuerKey, Buffer.from(sig, 'base64url')),
    kbVerifier: (data, sig, payload) => edVerify(null, Buffer.from(data),
      createPublicKey({key: payload.cnf.jwk, format: 'jwk'}), Buffer.from(sig, 'base64url'))
  });
  const verified = await sdjwt.verify(token, {keyBindingNonce: nonce});
  if(verified.kb?.payload?.aud !== audience) {
    throw new Error(`the key binding JWT is for ${verified.kb?.payload?.aud}, not ${audience}`);
  }
  return verified.payload;
}

async function respond(id, req, res) {
  const session = sessions.get(id);
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
  const result = {received: true, verified: false, errors: [], presentations: {}};
  session.result = result;
  try {
    const parsed = await verifier.parseOpenid4vpAuthorizationResponse({authorizationResponse: form,
      authorizationRequestPayload: session.payload, callbacks});
    const {nonce, client_id: clientId} = session.payload;
    result.encrypted = Boolean(parsed.jarm);
    for(const [queryId, entries] of Object.entries(parsed.dcql.presentations)) {
      const format = session.payload.dcql_query.credentials.find(c => c.id === queryId).format;
      for(const entry of entries) {
        if(format === 'dc+sd-jwt') {
          result.presentations[queryId] = await verifySdJwt(entry, nonce, clientId);
        } else {
          const verdict = nodeVerify(format === 'ldp_vc' ? 'presentation' : 'jwt-presentation', entry, nonce,
            clientId);
          if(!verdict.verified) {
            throw new Error(`${queryId}: ${verdict.errors.join('; ')}`);
          }
          result.presentations[queryId] = format === 'ldp_vc' ? entry : jose.decodeJwt(entry);
        }
      }
    }
    result.verified = true;
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end(JSON.stringify({}));
  } catch(e) {
    result.errors.push(String(e?.message || e));
    res.writeHead(400, {'Content-Type': 'application/json'});
    res.end(JSON.stringify({error: 'invalid_request', error_description: String(e?.message || e)}));
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, base);
  const send = (status, body, type = 'application/json') => {
    res.writeHead(status, {'Content-Type': type});
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  try {
    const [, kind, id] = url.pathname.split('/');
    if(req.method === 'GET' && kind === 'make-request') {
      return send(200, await makeRequest(url));
    }
    if(req.method === 'GET' && kind === 'request' && sessions.get(id)?.jar) {
      return send(200, sessions.get(id).jar.authorizationRequestJwt, 'application/oauth-authz-req+jwt');
    }
    if(req.method === 'POST' && kind === 'response' && sessions.has(id)) {
      return await respond(id, req, res);
    }
    if(req.method === 'GET' && kind === 'result' && sessions.has(id)) {
      return send(200, sessions.get(id).result);
    }
    send(404, {error: 'not_found'});
  } catch(e) {
    send(500, {error: 'server_error', error_description: String(e?.message || e)});
  }
});

server.listen(0, '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(JSON.stringify({base, did: VERIFIER_DID}) + '\n');
});
