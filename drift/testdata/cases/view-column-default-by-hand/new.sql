CREATE TABLE public.t (id int, a int, note text);
CREATE VIEW public.v AS SELECT id, a, note FROM public.t;
ALTER VIEW public.v ALTER COLUMN note SET DEFAULT 'none';
