-- The organization reads (list_learners, list_at_risk, org_summary) are short queries: a page or a
-- handful of counts. SQL functions are planned without their argument values, and under row-level
-- security the trainer rule of the previous migration adds a per-row lookup to those plans'
-- estimates, which then pass jit_above_cost: on a 50,000-learner organization, an org admin's
-- summary under RLS spent about 1 s compiling for a query that runs in under 1 ms. JIT never pays
-- for these, so it is off for them (PGlite has no JIT; the setting is harmless there).
alter function public.list_learners(text, text, text, integer, text) set jit = off;
alter function public.list_at_risk(text, text[], double precision, text, integer, text) set jit = off;
alter function public.org_summary(text, timestamptz, text) set jit = off;
