CREATE DOMAIN public.b_positive AS int CHECK (VALUE > 0);
CREATE DOMAIN public.a_small_positive AS public.b_positive CHECK (VALUE < 100);
CREATE TABLE public.t (id int PRIMARY KEY, v public.a_small_positive);
