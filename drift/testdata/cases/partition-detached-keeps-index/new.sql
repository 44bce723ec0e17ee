CREATE TABLE public.m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX m_id ON public.m (id);
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL);
CREATE INDEX m_2024_id_idx ON public.m_2024 (id);
