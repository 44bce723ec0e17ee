CREATE TABLE public.t (id int, a int);
-- a column type changes: the view is dropped and created again, with its default
CREATE VIEW public.v AS SELECT id, a::bigint AS a FROM public.t;
ALTER VIEW public.v ALTER COLUMN a SET DEFAULT 7;
