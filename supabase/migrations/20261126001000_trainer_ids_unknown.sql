-- Fail closed: a learner whose trainers the BFF has not recorded is no trainer's to read.
--
-- trainer_ids '{}' means "no trainer is listed for the learner's courses", and then every trainer
-- of the organization may read the learner (as learnerAccess decides). Rows mirrored before the
-- BFF recorded trainers, or by a writer that does not know them, also read '{}', so every trainer
-- saw them until the learner was next ingested or recomputed. Now null means "not known yet": the
-- lists, the summary and the policies (trainer_ids = '{}' or trainer_ids @> ...) leave it out for
-- trainers, org admins still see it, and the BFF's next ingestion or recompute of the learner
-- writes their trainers. Direct SQL inserts keep the '{}' default.

alter table public.directory_users alter column trainer_ids drop not null;

-- Rows written before this release cannot tell "none listed" from "never recorded": treat them as
-- not known. The BFF writes every learner it ingests or recomputes again, with their trainers.
update public.directory_users set trainer_ids = null where trainer_ids = '{}';

-- The Directory mirror: as before, except that a new learner mirrored without "trainerIds" has
-- them unknown (null), not "none listed" ('{}'); and unchanged rows compare null-safely.
create or replace function public.upsert_directory_users(p_users jsonb) returns jsonb
language plpgsql security invoker
set search_path = ''
as $$
declare
  v_count integer;
begin
  insert into public.organizations (id, name)
  select distinct on (u."orgId") u."orgId", coalesce(u."orgName", u."orgId")
  from jsonb_to_recordset(p_users) as u("orgId" text, "orgName" text)
  order by u."orgId"
  on conflict (id) do nothing;

  -- Unchanged users are skipped before the upsert, so they take no row lock (every batch of events
  -- mirrors its learners); the rest go in id order so concurrent batches cannot deadlock.
  insert into public.directory_users as d (id, org_id, display_name, roles, time_zone, trainer_ids, synced_at)
  select u.id, u.org_id, u.display_name, u.roles, u.time_zone, u.trainer_ids, now()
  from (
    select distinct on (x."userId") x."userId" as id, x."orgId" as org_id,
           coalesce(x."displayName", x."userId") as display_name, coalesce(x.roles, '{learner}') as roles,
           coalesce(x."timeZone", 'UTC') as time_zone,
           case
             when x."trainerIds" is null
               then (select k.trainer_ids from public.directory_users k where k.id = x."userId")
             else coalesce((select array_agg(distinct t order by t) from unnest(x."trainerIds") as t), '{}')
           end as trainer_ids
    from jsonb_to_recordset(p_users)
      as x("userId" text, "orgId" text, "displayName" text, roles text[], "timeZone" text, "trainerIds" text[])
    order by x."userId"
  ) u
  where not exists (
    select from public.directory_users k
    where k.id = u.id
      and (k.org_id, k.display_name, k.roles, k.time_zone, k.trainer_ids)
        is not distinct from (u.org_id, u.display_name, u.roles, u.time_zone, u.trainer_ids)
  )
  order by u.id
  on conflict (id) do update
    set org_id = excluded.org_id, display_name = excluded.display_name, roles = excluded.roles,
        time_zone = excluded.time_zone, trainer_ids = excluded.trainer_ids, synced_at = excluded.synced_at
    where (d.org_id, d.display_name, d.roles, d.time_zone, d.trainer_ids)
      is distinct from (excluded.org_id, excluded.display_name, excluded.roles, excluded.time_zone, excluded.trainer_ids);
  get diagnostics v_count = row_count;
  return jsonb_build_object('changed', v_count);
end
$$;
