CREATE TABLE public.m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
