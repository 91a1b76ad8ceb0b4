-- One list of benchmarks (docs/adr/0028, "One list of benchmarks", 2026-11-29): a partnership's own
-- benchmarks move into its multi-annual plan, in their order, as plan benchmarks (no RAD factor, no
-- linked action); the next migration drops the partnership's column.
-- - No plan, or a plan without phases: one phase covering the partnership's period, labelled with its
--   years ("2026–2028"), holds them all; a new plan row is version 2, as after a first save.
-- - A plan with phases: each goes to the last phase starting on or before its target date (no date:
--   the partnership's end), else to the first phase; phases keep their periods, so the plan's rules
--   (in order, no overlap, inside the partnership) still hold. The plan's version goes up by one, so
--   a form opened before this change is refused as stale.
DO $$
DECLARE
  p record;
  plan_id uuid;
  ph jsonb;
  b jsonb;
  target int;
  i int;
  last_day text;
BEGIN
  FOR p IN SELECT * FROM programme_partnerships WHERE jsonb_array_length(benchmarks) > 0 LOOP
    plan_id := NULL;
    ph := '[]'::jsonb;
    SELECT id, phases INTO plan_id, ph FROM programme_plans WHERE partnership_id = p.id;
    last_day := to_char(p.ends_on, 'YYYY-MM-DD');
    IF ph IS NULL OR jsonb_array_length(ph) = 0 THEN
      ph := jsonb_build_array(jsonb_build_object(
        'label', CASE WHEN extract(year FROM p.starts_on) = extract(year FROM p.ends_on)
                   THEN to_char(p.starts_on, 'YYYY')
                   ELSE to_char(p.starts_on, 'YYYY') || '–' || to_char(p.ends_on, 'YYYY') END,
        'startsOn', to_char(p.starts_on, 'YYYY-MM-DD'),
        'endsOn', last_day,
        'benchmarks', '[]'::jsonb));
    END IF;
    FOR b IN SELECT x.value FROM jsonb_array_elements(p.benchmarks) WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
      target := 0;
      FOR i IN 0 .. jsonb_array_length(ph) - 1 LOOP
        IF ph -> i ->> 'startsOn' <= COALESCE(b ->> 'due', last_day) THEN
          target := i;
        END IF;
      END LOOP;
      ph := jsonb_set(ph, ARRAY[target::text, 'benchmarks'],
        COALESCE(ph -> target -> 'benchmarks', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
          'title', b ->> 'title',
          'factor', NULL,
          'due', COALESCE(b -> 'due', 'null'::jsonb),
          'status', b ->> 'status',
          'actionIds', '[]'::jsonb)));
    END LOOP;
    IF plan_id IS NULL THEN
      INSERT INTO programme_plans (id, tenant_id, partnership_id, phases, kpis, version)
        VALUES (gen_random_uuid(), p.tenant_id, p.id, ph, '[]'::jsonb, 2);
    ELSE
      UPDATE programme_plans SET phases = ph, version = version + 1, updated_at = now() WHERE id = plan_id;
    END IF;
  END LOOP;
END $$;
