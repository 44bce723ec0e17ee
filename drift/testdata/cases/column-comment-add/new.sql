CREATE TABLE public.t (id int PRIMARY KEY, v text);
COMMENT ON COLUMN public.t.v IS 'the value';
