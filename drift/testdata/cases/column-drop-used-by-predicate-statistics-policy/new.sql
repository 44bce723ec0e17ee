CREATE TABLE public.t (id int PRIMARY KEY, qty int);
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_qty ON public.t USING (qty > 0);
