CREATE TABLE public.t (id int);
COMMENT ON TABLE public.t IS 'new \ with backslash';
