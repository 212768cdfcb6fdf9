-- The demo organizations (the simulator's world: edge/simulator/world.ts). People arrive through
-- the Directory mirror and the demo's ledger through event ingestion (POST /api/v1/events), so
-- the seed holds only what no upstream sends.
insert into public.organizations (id, name) values
  ('org-aurora', 'Aurora Logistics'),
  ('org-borealis', 'Borealis Health'),
  ('org-cascade', 'Cascade Retail')
on conflict (id) do update set name = excluded.name;
