-- Rows whose id is a bearer secret (tokens, codes, device codes, registration and initial
-- access tokens, sessions) are keyed by the SHA-256 of the id, in hex, and their payload
-- no longer holds it (src/oidc/stored-id.ts). Existing rows are re-keyed in place, so
-- every session, token and code issued before the upgrade keeps working.
UPDATE "oidc_model"
SET "id" = encode(sha256(convert_to("id", 'UTF8')), 'hex'),
    "payload" = "payload" - 'jti'
WHERE "model" IN (
  'AccessToken',
  'AuthorizationCode',
  'BackchannelAuthenticationRequest',
  'ClientCredentials',
  'DeviceCode',
  'InitialAccessToken',
  'RefreshToken',
  'RegistrationAccessToken',
  'Session'
);

-- An interaction kept a copy of its browser's session id; the provider never reads it.
UPDATE "oidc_model"
SET "payload" = "payload" #- '{session,cookie}'
WHERE "model" = 'Interaction' AND "payload" #> '{session,cookie}' IS NOT NULL;
