-- The parent has a CHECK, so the new partition is created with PARTITION OF
-- (a table of its own would hold the check as a local one); PARTITION OF clones
-- the parent's unique index, and the partition's primary key is made from it.
CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO public.m VALUES (1, '2024-03-01');
