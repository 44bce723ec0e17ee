CREATE TABLE public.t (id int, a int, note text);
CREATE VIEW public.v AS SELECT id, a, note FROM public.t;
-- by hand: another default, and one Git does not have
ALTER VIEW public.v ALTER COLUMN note SET DEFAULT 'n/a';
ALTER VIEW public.v ALTER COLUMN a SET DEFAULT 42;
