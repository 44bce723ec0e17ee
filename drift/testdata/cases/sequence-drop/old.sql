CREATE TABLE public.t (id int);
CREATE SEQUENCE public.order_no;
