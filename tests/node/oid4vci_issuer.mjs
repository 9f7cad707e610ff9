/**
 * An OpenID4VCI 1.0 credential issuer on 127.0.0.1 for the vault's tests (test-only).
 *
 *   node oid4vci_issuer.mjs
 * prints one line {"issuer": "http://127.0.0.1:PORT"} and serves until killed.
 *
 * The protocol is the OpenWallet Foundation's oid4vc-ts (@openid4vc/openid4vci and
 * @openid4vc/oauth2): issuer metadata, credential offers, the pre-authorized code token
 * request (with tx_code), the nonce endpoint, the credential request and its `jwt` proof
 * are made and checked by that library. The credentials are signed by Digital Bazaar's vc
 * (ldp_vc, eddsa-rdfc-2022), did-jwt-vc (jwt_vc_json) and @sd-jwt/sd-jwt-vc (dc+sd-jwt),
 * each bound to the DID the wallet's proof was signed with.
 *
 * Test controls (not part of the protocol):
 *   GET /make-offer?config=ID[&tx=1][&by=reference]  -> {"offer": "openid-credential-offer://…",
 *        "tx_code": "1234" | null}: a fresh pre-authorized code for one configuration
 *   GET /make-offer?config=ID&grant=authorization_code -> an offer with an issuer_state for
 *        the authorization code flow: GET /authorize (PKCE S256, a loopback redirect_uri)
 *        approves at once, as a signed-in user would, and redirects with the code
 *   GET /log -> {"tokens": n, "credentials": n, "errors": [...]}: what the issuer did
 */
import {createHash, randomBytes, generateKeyPairSync} from 'node:crypto';
import {createServer} from 'node:http';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {Openid4vciIssuer} from '@openid4vc/openid4vci';
import {setGlobalConfig} from '@openid4vc/utils';
import {Oauth2AuthorizationServer, Oauth2ServerErrorResponseError, clientAuthenticationAnonymous,
  preAuthorizedCodeGrantIdentifier} from '@openid4vc/oauth2';
import * as jose from 'jose';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import {createVerifiableCredentialJwt} from 'did-jwt-vc';
import {EdDSASigner} from 'did-jwt';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {digest as sdDigest, generateSalt} from '@sd-jwt/crypto-nodejs';

const require = createRequire(import.meta.url);
// plain http on 127.0.0.1 only: the tests have no certificate for loopback
setGlobalConfig({allowInsecureUrls: true});
const HERE = dirname(fileURLToPath(import.meta.url));

// --- keys: the issuer's (did:jwk for JWTs, did:key for Data Integrity) ------------------

const b64u = buf => Buffer.from(buf).toString('base64url');
const {privateKey: edPrivate} = generateKeyPairSync('ed25519');
const edJwk = edPrivate.export({format: 'jwk'});
const edPublicJwk = {kty: 'OKP', crv: 'Ed25519', x: edJwk.x};
const ISSUER_JWK_DID = `did:jwk:${b64u(JSON.stringify(edPublicJwk))}`;
const ISSUER_JWK_KID = `${ISSUER_JWK_DID}#0`;
const edSecret = Buffer.concat([Buffer.from(edJwk.d, 'base64url'), Buffer.from(edJwk.x, 'base64url')]);
const diKey = await Ed25519Multikey.generate();
const ISSUER_KEY_DID = `did:key:${diKey.publicKeyMultibase}`;
diKey.controller = ISSUER_KEY_DID;
diKey.id = `${ISSUER_KEY_DID}#${diKey.publicKeyMultibase}`;
// the access tokens' signing key (the authorization server is this same process)
const {privateKey: asPrivate} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
const asPublicJwk = (({kty, crv, x, y}) => ({kty, crv, x, y}))(asPrivate.export({format: 'jwk'}));

// --- contexts offline, DIDs resolved locally ---------------------------------------------

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
const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if(CONTEXTS.has(url)) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS.get(url))};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
  }
  throw new Error(`offline document loader: no local copy of ${url}`);
}

// the public JWK of a wallet's DID URL (did:key Ed25519, did:jwk)
async function didPublicJwk(didUrl) {
  const did = didUrl.split('#')[0];
  if(did.startsWith('did:jwk:')) {
    return JSON.parse(Buffer.from(did.slice(8), 'base64url').toString('utf8'));
  }
  if(did.startsWith('did:key:z6Mk')) {
    const method = await didKeyDriver.get({url: `${did}#${did.slice(8)}`});
    return Ed25519Multikey.toJwk({keyPair: await Ed25519Multikey.from(method)});
  }
  throw new Error(`the test issuer does not resolve ${did}`);
}

// --- the library's callbacks --------------------------------------------------------------

const callbacks = {
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
  generateRandom: n => new Uint8Array(randomBytes(n)),
  clientAuthentication: clientAuthenticationAnonymous(),
  async signJwt(signer, {header, payload}) {
    const jwt = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header).sign(asPrivate);
    return {jwt, signerJwk: asPublicJwk};
  },
  async verifyJwt(signer, {header, compact}) {
    const jwk = signer.method === 'did' ? await didPublicJwk(signer.didUrl) : signer.publicJwk;
    try {
      await jose.compactVerify(compact, await jose.importJWK(jwk, header.alg));
      return {verified: true, signerJwk: jwk};
    } catch {
      return {verified: false, signerJwk: jwk};
    }
  }
};

const issuer = new Openid4vciIssuer({callbacks});
const authorizationServer = new Oauth2AuthorizationServer({callbacks});

// --- state -----------------------------------------------------------------------------

const offers = new Map();   // pre-authorized code -> {config, txCode}
const issuerStates = new Map();   // issuer_state -> {config}
const codes = new Map();          // authorization code -> {config, codeChallenge, redirectUri}
const tokens = new Map();   // access token -> {config}
const nonces = new Set();
const log = {tokens: 0, credentials: 0, errors: []};

let base;
let issuerMetadata;
let asMetadata;

function metadata() {
  const proof = {jwt: {proof_signing_alg_values_supported: ['EdDSA', 'ES256']}};
  const common = {cryptographic_binding_methods_supported: ['did:key', 'did:jwk'], proof_types_supported: proof};
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: base,
    credential_endpoint: `${base}/credential`,
    nonce_endpoint: `${base}/nonce`,
    display: [{name: 'Loopback University', locale: 'en'}],
    credential_configurations_supported: {
      UniversityDegree_ldp_vc: {
        format: 'ldp_vc', ...common, credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
        credential_definition: {'@context': ['https://www.w3.org/ns/credentials/v2',
          'https://www.w3.org/ns/credentials/examples/v2'],
          type: ['VerifiableCredential', 'UniversityDegreeCredential']},
        credential_metadata: {display: [{name: 'University degree (Data Integrity)', locale: 'en'}]}
      },
      UniversityDegree_jwt_vc_json: {
        format: 'jwt_vc_json', ...common, credential_signing_alg_values_supported: ['EdDSA'],
        credential_definition: {type: ['VerifiableCredential', 'UniversityDegreeCredential']},
        credential_metadata: {display: [{name: 'University degree (VC-JWT)', locale: 'en'}]}
      },
      Employee_dc_sd_jwt: {
        format: 'dc+sd-jwt', ...common, credential_signing_alg_values_supported: ['EdDSA'],
        vct: 'https://credentials.example/employee',
        credential_metadata: {display: [{name: 'Employee badge (SD-JWT VC)', locale: 'en'}]}
      }
    }
  });
  const as = authorizationServer.createAuthorizationServerMetadata({
    issuer: base, token_endpoint: `${base}/token`, 'pre-authorized_grant_anonymous_access_supported': true,
    authorization_endpoint: `${base}/authorize`, code_challenge_methods_supported: ['S256']
  });
  return [credentialIssuer, as];
}

const issuerMetadataResult = () => ({
  originalDraftVersion: 'V1', credentialIssuer: issuerMetadata, authorizationServers: [asMetadata],
  knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(issuerMetadata)
});

// --- issuing one credential to the holder's DID -------------------------------------------

async function issueCredential(config, holderDid) {
  const now = new Date();
  const subject = {id: holderDid, degree: {type: 'BachelorDegree', name: 'Bachelor of Science'}};
  if(config === 'UniversityDegree_ldp_vc') {
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
      type: ['VerifiableCredential', 'UniversityDegreeCredential'],
      issuer: {id: ISSUER_KEY_DID, name: 'Loopback University'},
      validFrom: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      name: 'Bachelor of Science', credentialSubject: subject
    };
    const suite = new DataIntegrityProof({signer: diKey.signer(), cryptosuite: eddsaRdfc2022});
    return vc.issue({credential, suite, documentLoader});
  }
  const signer = EdDSASigner(edSecret);
  if(config === 'UniversityDegree_jwt_vc_json') {
    const payload = {
      sub: holderDid, nbf: Math.floor(now / 1000),
      vc: {'@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', 'UniversityDegreeCredential'], credentialSubject: subject}
    };
    return createVerifiableCredentialJwt(payload, {did: ISSUER_JWK_DID, signer, alg: 'EdDSA'},
      {header: {kid: ISSUER_JWK_KID}});
  }
  const sdjwt = new SDJwtVcInstance({
    signer: data => signer(data), signAlg: 'EdDSA', hasher: sdDigest, hashAlg: 'sha-256',
    saltGenerator: generateSalt
  });
  const holderJwk = await didPublicJwk(holderDid);
  return sdjwt.issue(
    {iss: ISSUER_JWK_DID, iat: Math.floor(now / 1000), vct: 'https://credentials.example/employee',
      cnf: {jwk: holderJwk}, given_name: 'Ada', family_name: 'Lovelace', employee_id: 'E-1815'},
    {_sd: ['given_name', 'family_name', 'employee_id']},
    {header: {kid: ISSUER_JWK_KID, typ: 'dc+sd-jwt'}});
}

// --- HTTP --------------------------------------------------------------------------------

function send(res, status, body, headers = {}) {
  res.writeHead(status, {'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers});
  res.end(JSON.stringify(body));
}

function oauthError(res, e, status = 400) {
  const body = e instanceof Oauth2ServerErrorResponseError ? e.errorResponse :
    {error: 'invalid_request', error_description: String(e?.message || e)};
  log.errors.push(body.error);
  send(res, e instanceof Oauth2ServerErrorResponseError ? (e.status ?? status) : status, body);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const requestLike = req => ({method: req.method, url: `${base}${req.url}`, headers: new Headers(
  Object.entries(req.headers).map(([k, v]) => [k, String(v)]))});

async function makeOffer(url) {
  const config = url.searchParams.get('config');
  if(url.searchParams.get('grant') === 'authorization_code') {
    const issuerState = b64u(randomBytes(12));
    issuerStates.set(issuerState, {config});
    const {credentialOffer} = await issuer.createCredentialOffer({
      issuerMetadata: issuerMetadataResult(), credentialConfigurationIds: [config],
      grants: {authorization_code: {issuer_state: issuerState}}});
    return {offer: credentialOffer, tx_code: null};
  }
  const code = b64u(randomBytes(16));
  const txCode = url.searchParams.get('tx') ? String(1000 + randomBytes(2).readUInt16BE() % 9000) : null;
  const byReference = url.searchParams.get('by') === 'reference';
  const id = b64u(randomBytes(8));
  const {credentialOffer, credentialOfferObject} = await issuer.createCredentialOffer({
    issuerMetadata: issuerMetadataResult(), credentialConfigurationIds: [config],
    grants: {[preAuthorizedCodeGrantIdentifier]: {'pre-authorized_code': code,
      ...(txCode ? {tx_code: {input_mode: 'numeric', length: 4, description: 'The PIN from the e-mail'}} : {})}},
    ...(byReference ? {credentialOfferUri: `${base}/offers/${id}`} : {})
  });
  offers.set(code, {config, txCode, object: credentialOfferObject, id});
  return {offer: credentialOffer, tx_code: txCode};
}

function authorize(url, res) {
  // The sign-in page of a real issuer: here the user approves at once.
  const p = Object.fromEntries(url.searchParams);
  const state = issuerStates.get(p.issuer_state);
  const redirect = (() => { try { return new URL(p.redirect_uri); } catch { return null; } })();
  if(!state || p.response_type !== 'code' || p.code_challenge_method !== 'S256' || !p.code_challenge ||
     !redirect || !['127.0.0.1', 'localhost'].includes(redirect.hostname)) {
    log.errors.push('invalid_authorization_request');
    res.writeHead(400, {'Content-Type': 'text/plain'});
    return res.end('invalid authorization request');
  }
  issuerStates.delete(p.issuer_state);
  const code = b64u(randomBytes(16));
  codes.set(code, {config: state.config, codeChallenge: p.code_challenge, redirectUri: p.redirect_uri});
  redirect.searchParams.set('code', code);
  redirect.searchParams.set('state', p.state ?? '');
  redirect.searchParams.set('iss', base);
  res.writeHead(302, {Location: redirect.toString()});
  res.end();
}

async function authorizationCodeToken(req, res, parsed) {
  const granted = codes.get(parsed.grant.code);
  if(!granted) {
    return send(res, 400, {error: 'invalid_grant', error_description: 'unknown or used authorization code'});
  }
  await authorizationServer.verifyAuthorizationCodeAccessTokenRequest({
    authorizationServerMetadata: asMetadata, grant: parsed.grant, accessTokenRequest: parsed.accessTokenRequest,
    request: requestLike(req), expectedCode: parsed.grant.code,
    pkce: {codeVerifier: parsed.pkceCodeVerifier, codeChallenge: granted.codeChallenge, codeChallengeMethod: 'S256'}
  });
  if(parsed.accessTokenRequest.redirect_uri !== granted.redirectUri) {
    return send(res, 400, {error: 'invalid_grant', error_description: 'redirect_uri differs'});
  }
  codes.delete(parsed.grant.code);
  const response = await authorizationServer.createAccessTokenResponse({
    audience: base, authorizationServer: base, expiresInSeconds: 300, subject: parsed.grant.code,
    signer: {method: 'jwk', publicJwk: asPublicJwk, alg: 'ES256'}
  });
  tokens.set(response.access_token, {config: granted.config});
  log.tokens += 1;
  send(res, 200, response);
}

async function token(req, res) {
  const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
  try {
    const parsed = authorizationServer.parseAccessTokenRequest({request: requestLike(req), accessTokenRequest: form});
    if(parsed.grant.grantType === 'authorization_code') {
      return await authorizationCodeToken(req, res, parsed);
    }
    const offer = offers.get(parsed.grant.preAuthorizedCode);
    if(!offer) {
      return send(res, 400, {error: 'invalid_grant', error_description: 'unknown or used pre-authorized code'});
    }
    await authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
      authorizationServerMetadata: asMetadata, grant: parsed.grant, accessTokenRequest: parsed.accessTokenRequest,
      request: requestLike(req), expectedPreAuthorizedCode: parsed.grant.preAuthorizedCode,
      expectedTxCode: offer.txCode ?? undefined
    });
    offers.delete(parsed.grant.preAuthorizedCode);   // a code is used once
    const response = await authorizationServer.createAccessTokenResponse({
      audience: base, authorizationServer: base, expiresInSeconds: 300, subject: parsed.grant.preAuthorizedCode,
      signer: {method: 'jwk', publicJwk: asPublicJwk, alg: 'ES256'}
    });
    tokens.set(response.access_token, {config: offer.config});
    log.tokens += 1;
    send(res, 200, response);
  } catch(e) {
    oauthError(res, e);
  }
}

async function credential(req, res) {
  const auth = req.headers.authorization || '';
  const grant = tokens.get(auth.replace(/^Bearer /, ''));
  if(!grant) {
    log.errors.push('invalid_token');
    return send(res, 401, {error: 'invalid_token'}, {'WWW-Authenticate': 'Bearer error="invalid_token"'});
  }
  try {
    const parsed = issuer.parseCredentialRequest({issuerMetadata: issuerMetadataResult(),
      credentialRequest: JSON.parse(await readBody(req))});
    if(parsed.credentialConfigurationId !== grant.config) {
      return send(res, 400, {error: 'invalid_credential_request',
        error_description: 'not the credential this offer is for'});
    }
    const jwt = parsed.proofs?.jwt?.[0];
    if(!jwt) {
      return send(res, 400, {error: 'invalid_proof', error_description: 'a jwt proof is required'});
    }
    const nonce = jose.decodeJwt(jwt).nonce;
    if(!nonces.has(nonce)) {
      log.errors.push('invalid_nonce');
      return send(res, 400, {error: 'invalid_nonce', error_description: 'the proof does not carry a c_nonce of ours'});
    }
    const {signer} = await issuer.verifyCredentialRequestJwtProof({issuerMetadata: issuerMetadataResult(), jwt,
      expectedNonce: nonce, nonceExpiresAt: new Date(Date.now() + 300_000)});
    nonces.delete(nonce);
    tokens.delete(auth.replace(/^Bearer /, ''));
    const holder = signer.method === 'did' ? signer.didUrl.split('#')[0] : null;
    if(!holder) {
      return send(res, 400, {error: 'invalid_proof', error_description: 'the proof must name a DID (kid)'});
    }
    const issued = await issueCredential(grant.config, holder);
    log.credentials += 1;
    send(res, 200, issuer.createCredentialResponse({credentialRequest: parsed, credentials: [{credential: issued}]}));
  } catch(e) {
    oauthError(res, e);
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, base);
  try {
    if(req.method === 'GET' && url.pathname === '/.well-known/openid-credential-issuer') {
      return send(res, 200, issuerMetadata);
    }
    if(req.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
      return send(res, 200, asMetadata);
    }
    if(req.method === 'GET' && url.pathname.startsWith('/offers/')) {
      const offer = [...offers.values()].find(o => o.id === url.pathname.slice(8));
      return offer ? send(res, 200, offer.object) : send(res, 404, {error: 'not_found'});
    }
    if(req.method === 'GET' && url.pathname === '/authorize') {
      return authorize(url, res);
    }
    if(req.method === 'POST' && url.pathname === '/token') {
      return await token(req, res);
    }
    if(req.method === 'POST' && url.pathname === '/nonce') {
      const cNonce = b64u(randomBytes(16));
      nonces.add(cNonce);
      return send(res, 200, issuer.createNonceResponse({cNonce, cNonceExpiresIn: 300}));
    }
    if(req.method === 'POST' && url.pathname === '/credential') {
      return await credential(req, res);
    }
    if(req.method === 'GET' && url.pathname === '/make-offer') {
      return send(res, 200, await makeOffer(url));
    }
    if(req.method === 'GET' && url.pathname === '/log') {
      return send(res, 200, log);
    }
    send(res, 404, {error: 'not_found'});
  } catch(e) {
    send(res, 500, {error: 'server_error', error_description: String(e?.message || e)});
  }
});

server.listen(0, '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}`;
  [issuerMetadata, asMetadata] = metadata();
  process.stdout.write(JSON.stringify({issuer: base, issuer_dids: [ISSUER_JWK_DID, ISSUER_KEY_DID]}) + '\n');
});
