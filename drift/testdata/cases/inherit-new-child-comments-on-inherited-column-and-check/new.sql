CREATE TABLE public.base (id int NOT NULL, v int, CONSTRAINT base_v_positive CHECK (v > 0));
CREATE TABLE public.child (extra text) INHERITS (public.base);
COMMENT ON COLUMN public.child.v IS 'inherited, commented on the child';
COMMENT ON CONSTRAINT base_v_positive ON public.child IS 'the check as the child has it';
CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
COMMENT ON CONSTRAINT m_id_positive ON public.m_2025 IS 'the partition''s copy';
