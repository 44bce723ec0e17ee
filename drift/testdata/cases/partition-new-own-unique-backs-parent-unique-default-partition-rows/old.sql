CREATE TABLE public.m (id int NOT NULL, region text NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY LIST (region);
CREATE UNIQUE INDEX m_id_region ON public.m (id, region);
CREATE TABLE public.m_other PARTITION OF public.m DEFAULT;
