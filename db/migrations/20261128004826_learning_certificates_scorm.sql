-- Certificate signing keys and public verification (docs/adr/0017-learning-certificates-scorm.md).
-- One Ed25519 key pair per deployment. Not tenant data and a secret: the application role has
-- no access at all (the default privileges granted it, so they are revoked here); the app signs
-- through the owner handle. At most one key is active (retired_at IS NULL) at a time.
CREATE TABLE IF NOT EXISTS learning_signing_keys (
  key_id text PRIMARY KEY,
  public_key_pem text NOT NULL,
  private_key_enc text NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  retired_at timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS learning_signing_keys_one_active ON learning_signing_keys ((true)) WHERE retired_at IS NULL;
--> statement-breakpoint
REVOKE ALL ON learning_signing_keys FROM arusha_app;
--> statement-breakpoint
-- The public verification page, across tenants, with no login: given a code, only what the
-- certificate states (its signed text), its signature and key id, and whether it was revoked.
-- No ids, no tenant, no e-mail, no reason for a revocation.
CREATE OR REPLACE FUNCTION learning_verify_certificate(p_code text)
RETURNS TABLE (payload text, signature text, key_id text, revoked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.payload, c.signature, c.key_id, c.revoked_at IS NOT NULL
  FROM certificates c
  WHERE c.code = p_code
  LIMIT 1
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION learning_verify_certificate(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION learning_verify_certificate(text) TO arusha_app;
--> statement-breakpoint
-- The published public keys (never the private ones), for the public key route.
CREATE OR REPLACE FUNCTION learning_public_keys()
RETURNS TABLE (key_id text, public_key_pem text, created_at timestamp with time zone, retired_at timestamp with time zone)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT k.key_id, k.public_key_pem, k.created_at, k.retired_at FROM learning_signing_keys k ORDER BY k.created_at
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION learning_public_keys() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION learning_public_keys() TO arusha_app;
