-- The parent drops e; the child keeps it, declared by itself (migra's inherit2):
-- ALTER TABLE ONLY leaves it to the child with its rows.
CREATE TABLE public.base (created_at timestamp DEFAULT now());
CREATE TABLE public.a (a1 integer) INHERITS (public.base);
ALTER TABLE public.a ADD COLUMN e integer;
