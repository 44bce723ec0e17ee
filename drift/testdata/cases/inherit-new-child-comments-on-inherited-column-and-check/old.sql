CREATE TABLE public.base (id int NOT NULL, v int, CONSTRAINT base_v_positive CHECK (v > 0));
CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
