CREATE DOMAIN public.qty AS int CONSTRAINT qty_positive CHECK (VALUE > 0);
CREATE DOMAIN public.small_qty AS public.qty;
CREATE TABLE public.t (id int PRIMARY KEY, value public.qty, other public.qty);
CREATE TABLE public.u (id int PRIMARY KEY, s public.small_qty);
CREATE TABLE public.ok (id int PRIMARY KEY, q public.qty);
