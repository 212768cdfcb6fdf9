-- What Supabase provides and plain PostgreSQL / PGlite lack: the API roles and the `auth` helpers
-- that read the caller's JWT claims from `request.jwt.claims` (set per transaction by PostgREST, by
-- our PostgREST stand-in and by the SQL adapter). Applied before the migrations on plain Postgres and
-- PGlite only; `supabase db push` never sees this file because it lives outside supabase/migrations.

-- Roles are cluster-wide and test files create databases in parallel: tolerate a concurrent creator.
do $$
declare
  spec text[];
begin
  foreach spec slice 1 in array array[
    array['anon', 'nologin noinherit'],
    array['authenticated', 'nologin noinherit'],
    array['service_role', 'nologin noinherit bypassrls']
  ] loop
    begin
      if not exists (select from pg_catalog.pg_roles where rolname = spec[1]) then
        execute format('create role %I %s', spec[1], spec[2]);
      end if;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end loop;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- Same definitions as Supabase's, so policies behave identically on both.
create or replace function auth.jwt() returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
set search_path = ''
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;
