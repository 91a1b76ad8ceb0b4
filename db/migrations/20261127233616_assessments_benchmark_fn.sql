-- Peer benchmark (docs/adr/0011-assessment-scoring.md): anonymous aggregates of the per-factor
-- scores administrations chose to share. benchmark_shares is tenant-owned (RLS): no tenant can
-- read another's row. This function, owned by the migration owner, is the one way across:
-- it answers only a tenant that shares itself (for that framework) or the WCO Secretariat,
-- returns no tenant id, and gives figures only for groups of at least 5 administrations.
CREATE OR REPLACE FUNCTION assessments_benchmark(p_framework_urn text)
RETURNS TABLE (region text, factor integer, n integer, mean double precision, min double precision,
               q1 double precision, median double precision, q3 double precision, max double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  WITH caller AS (
    SELECT app_tenant() AS id
  ), allowed AS (
    SELECT 1 FROM caller c
    WHERE c.id IS NOT NULL AND (
      EXISTS (SELECT 1 FROM benchmark_shares s WHERE s.tenant_id = c.id AND s.framework_urn = p_framework_urn)
      OR EXISTS (SELECT 1 FROM organisations o WHERE o.id = c.id AND o.type = 'secretariat')
    )
  ), scores AS (
    SELECT s.tenant_id, s.wco_region AS region, e.key::integer AS factor, (e.value #>> '{}')::double precision AS score
    FROM benchmark_shares s
    JOIN organisations o ON o.id = s.tenant_id AND o.type = 'administration'
    CROSS JOIN LATERAL jsonb_each(s.factor_scores) e
    WHERE s.framework_urn = p_framework_urn AND e.key ~ '^[0-9]{1,2}$' AND jsonb_typeof(e.value) = 'number'
    UNION ALL
    SELECT s.tenant_id, s.wco_region, 0, s.overall
    FROM benchmark_shares s
    JOIN organisations o ON o.id = s.tenant_id AND o.type = 'administration'
    WHERE s.framework_urn = p_framework_urn AND s.overall IS NOT NULL
  ), grouped AS (
    SELECT CASE WHEN GROUPING(sc.region) = 1 THEN 'ALL' ELSE sc.region END AS region,
           sc.factor,
           count(DISTINCT sc.tenant_id)::integer AS n,
           avg(sc.score) AS mean,
           min(sc.score) AS min,
           percentile_cont(0.25) WITHIN GROUP (ORDER BY sc.score) AS q1,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY sc.score) AS median,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY sc.score) AS q3,
           max(sc.score) AS max
    FROM scores sc
    WHERE EXISTS (SELECT 1 FROM allowed)
    GROUP BY GROUPING SETS ((sc.region, sc.factor), (sc.factor))
    HAVING GROUPING(sc.region) = 1 OR sc.region IS NOT NULL
  )
  SELECT g.region, g.factor, g.n,
         CASE WHEN g.n >= 5 THEN g.mean END,
         CASE WHEN g.n >= 5 THEN g.min END,
         CASE WHEN g.n >= 5 THEN g.q1 END,
         CASE WHEN g.n >= 5 THEN g.median END,
         CASE WHEN g.n >= 5 THEN g.q3 END,
         CASE WHEN g.n >= 5 THEN g.max END
  FROM grouped g
  ORDER BY g.region = 'ALL' DESC, g.region, g.factor
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION assessments_benchmark(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION assessments_benchmark(text) TO arusha_app;
