SELECT arusha_enable_rls('conduct_versions');--> statement-breakpoint
SELECT arusha_enable_rls('conduct_campaigns');--> statement-breakpoint
SELECT arusha_enable_rls('conduct_assignments');--> statement-breakpoint
SELECT arusha_enable_rls('conduct_acknowledgements');--> statement-breakpoint
SELECT arusha_enable_rls('conduct_parties');--> statement-breakpoint
SELECT arusha_enable_rls('conduct_party_acks');--> statement-breakpoint
SELECT arusha_enable_rls('conduct_party_links');--> statement-breakpoint
-- A published code version is immutable: no UPDATE, no DELETE, whoever asks.
CREATE OR REPLACE FUNCTION conduct_versions_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'a published code of conduct version is immutable' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER conduct_versions_immutable BEFORE UPDATE OR DELETE ON conduct_versions
FOR EACH ROW EXECUTE FUNCTION conduct_versions_immutable();
--> statement-breakpoint
-- The public acknowledgement page (no login) finds the organisation of a one-time link from the
-- SHA-256 of its token, and nothing else; the rest is read under that tenant's row-level security.
CREATE OR REPLACE FUNCTION conduct_party_link_tenant(p_hash text)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT l.tenant_id FROM conduct_party_links l WHERE l.token_hash = p_hash LIMIT 1
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION conduct_party_link_tenant(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION conduct_party_link_tenant(text) TO arusha_app;
