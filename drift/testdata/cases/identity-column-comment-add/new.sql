CREATE TABLE public.t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
COMMENT ON COLUMN public.t.id IS 'surrogate key';
