CREATE TABLE public.t (id int PRIMARY KEY, qty int CONSTRAINT qty_range CHECK (qty >= 0));
COMMENT ON CONSTRAINT qty_range ON public.t IS 'range';
