CREATE TABLE public.t (a int, b int);
CREATE SEQUENCE public.s OWNED BY public.t.a;
