CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_at_key UNIQUE (id, at), CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
