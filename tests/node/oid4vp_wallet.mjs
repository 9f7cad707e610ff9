/**
 * Another wallet answering the vault's OpenID4VP request (test-only), for the employer
 * side: the OpenWallet Foundation's @openid4vc/openid4vp client resolves and validates the
 * request and makes the authorization response; the SD-JWT VC it presents is issued to it
 * here and presented with a key-binding JWT by @sd-jwt/sd-jwt-vc.
 *
 *   echo '{"request": "openid4vp://…", "submit": true}' | node oid4vp_wallet.mjs
 *   -> {"form": {"vp_token": "…", "state": "…"}, "status": 200 | null, "issuer": "did:jwk:…"}
 * "submit": false only prints the form (the "paste the response" path).
 */
import {createHash, generateKeyPairSync, randomBytes, sign as edSign} from 'node:crypto';
import {readFileSync} from 'node:fs';

import {Openid4vpClient} from '@openid4vc/openid4vp';
import {setGlobalConfig} from '@openid4vc/utils';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {digest as sdDigest, generateSalt} from '@sd-jwt/crypto-nodejs';

setGlobalConfig({allowInsecureUrls: true});   // the vault's loopback receiver is plain http

const b64u = buf => Buffer.from(buf).toString('base64url');
const keyPair = () => {
  const {privateKey} = generateKeyPairSync('ed25519');
  const {x} = privateKey.export({format: 'jwk'});
  return {privateKey, jwk: {kty: 'OKP', crv: 'Ed25519', x}};
};
const issuer = keyPair();
const holder = keyPair();
const ISSUER = `did:jwk:${b64u(JSON.stringify(issuer.jwk))}`;
const signer = key => data => b64u(edSign(null, Buffer.from(data), key));

const input = JSON.parse(readFileSync(0, 'utf8'));
const client = new Openid4vpClient({callbacks: {
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
  fetch: globalThis.fetch,
  verifyJwt: () => ({verified: false}),
  decryptJwe: () => ({decrypted: false})
}});

const url = new URL(input.request);
const parsed = client.parseOpenid4vpAuthorizationRequest({authorizationRequest: input.request});
const resolved = await client.resolveOpenId4vpAuthorizationRequest({
  authorizationRequestPayload: parsed.params});
const request = resolved.authorizationRequestPayload;
const query = resolved.dcql.query;

const sdjwt = new SDJwtVcInstance({signer: signer(issuer.privateKey), signAlg: 'EdDSA', hasher: sdDigest,
  hashAlg: 'sha-256', saltGenerator: generateSalt, kbSigner: signer(holder.privateKey), kbSignAlg: 'EdDSA'});
const credential = await sdjwt.issue(
  {iss: ISSUER, iat: Math.floor(Date.now() / 1000), vct: 'https://credentials.example/employee',
    cnf: {jwk: holder.jwk}, given_name: 'Grace', family_name: 'Hopper', employee_id: 'E-1906'},
  {_sd: ['given_name', 'family_name', 'employee_id']},
  {header: {kid: `${ISSUER}#0`, typ: 'dc+sd-jwt'}});

const vpToken = {};
for(const entry of query.credentials) {
  const frame = Object.fromEntries((entry.claims || []).map(c => [c.path[0], true]));
  vpToken[entry.id] = [await sdjwt.present(credential, frame, {kb: {payload: {
    aud: input.audience ?? request.client_id, nonce: input.nonce ?? request.nonce,
    iat: Math.floor(Date.now() / 1000)}}})];
}
const response = await client.createOpenid4vpAuthorizationResponse({authorizationRequestPayload: request,
  authorizationResponsePayload: {vp_token: vpToken}});
const payload = response.authorizationResponsePayload;
const form = {vp_token: JSON.stringify(payload.vp_token), ...(payload.state ? {state: payload.state} : {})};
let status = null;
if(input.submit) {
  const submitted = await client.submitOpenid4vpAuthorizationResponse({authorizationRequestPayload: request,
    authorizationResponsePayload: payload});
  status = submitted.response.status;
}
process.stdout.write(JSON.stringify({form, status, issuer: ISSUER, scheme: url.protocol}) + '\n');
