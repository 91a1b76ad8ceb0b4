SELECT arusha_enable_rls('surveys');--> statement-breakpoint
SELECT arusha_enable_rls('survey_invitations');--> statement-breakpoint
SELECT arusha_enable_rls('survey_responses');--> statement-breakpoint
-- The public answering page has no sign-in, hence no tenant: given a token's hash (one-time
-- invitation or printed token) or an open-link code, which tenant and survey it belongs to.
-- Nothing else leaves the function; the rest runs in that tenant's transaction under RLS.
CREATE OR REPLACE FUNCTION surveys_resolve_token(p_token_hash text, p_open_code text)
RETURNS TABLE (tenant_id uuid, survey_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT i.tenant_id, i.survey_id FROM survey_invitations i WHERE i.token_hash = p_token_hash
  UNION ALL
  SELECT s.tenant_id, s.id FROM surveys s WHERE s.open_code = p_open_code
  LIMIT 1
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION surveys_resolve_token(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION surveys_resolve_token(text, text) TO arusha_app;
