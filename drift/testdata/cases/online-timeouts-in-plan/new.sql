CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE INDEX t_a ON public.t (a);
COMMENT ON TABLE public.t IS 'with timeouts';
