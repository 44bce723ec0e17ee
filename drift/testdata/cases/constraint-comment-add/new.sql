CREATE TABLE public.t (id int PRIMARY KEY, qty int CONSTRAINT qty_positive CHECK (qty > 0));
COMMENT ON CONSTRAINT qty_positive ON public.t IS 'no empty lines';
COMMENT ON CONSTRAINT t_pkey ON public.t IS 'identity';
