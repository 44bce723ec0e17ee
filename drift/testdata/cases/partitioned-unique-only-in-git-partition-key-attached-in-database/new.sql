CREATE TABLE public.visits (id int NOT NULL, day date NOT NULL, ref text) PARTITION BY RANGE (day);
CREATE TABLE public.visits_2025 PARTITION OF public.visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.visits_2026 PARTITION OF public.visits FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE ONLY public.visits ADD CONSTRAINT visits_ref_day_key UNIQUE (ref, day);
ALTER TABLE public.visits_2026 ADD CONSTRAINT visits_2026_ref_day_key UNIQUE (ref, day);
ALTER INDEX public.visits_ref_day_key ATTACH PARTITION public.visits_2026_ref_day_key;
